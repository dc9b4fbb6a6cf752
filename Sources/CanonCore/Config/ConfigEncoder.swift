/// Encodes `Encodable` values into a `ConfigNode`, keys in the order the type encodes them. Used to turn a
/// detector's default options into the policy's default values.
public struct ConfigEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> ConfigNode {
        try Self.node(of: TreeEncoder.encode(value))
    }

    /// A slot's node: a key encoded twice keeps its first place and its last value; a value that encoded
    /// nothing is null.
    private static func node(of slot: TreeEncoder.Slot) throws -> ConfigNode {
        if let entries = slot.entries {
            var mapping: [(key: String, keyMark: ConfigMark?, value: ConfigNode)] = []
            var place: [String: Int] = [:]
            for (key, child) in entries {
                if let at = place[key] {
                    mapping[at].value = try node(of: child)
                } else {
                    place[key] = mapping.count
                    mapping.append((key, nil, try node(of: child)))
                }
            }
            return ConfigNode(.mapping(mapping))
        }
        if let items = slot.items { return ConfigNode(.sequence(try items.map(node(of:)))) }
        if let deferred = slot.deferred {
            return ConfigNode(.sequence(try (0..<deferred.count).map { try node(of: deferred.slot(at: $0)) }))
        }
        return ConfigNode(.scalar(slot.scalar ?? .null))
    }
}
