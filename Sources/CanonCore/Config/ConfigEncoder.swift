/// Encodes `Encodable` values into a `ConfigNode`, keys in the order the type encodes them. Used to turn a
/// detector's default options into the policy's default values.
public struct ConfigEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> ConfigNode {
        let slot = Slot()
        try value.encode(to: NodeEncoder(slot: slot, codingPath: []))
        return slot.resolved
    }
}

/// A mutable cell the encoder fills in; encoding is synchronous and never crosses threads.
private final class Slot {
    var node: ConfigNode?
    var entries: [(key: String, slot: Slot)]?
    var items: [Slot]?

    var resolved: ConfigNode {
        if let entries {
            return ConfigNode(.mapping(entries.map { ($0.key, nil, $0.slot.resolved) }))
        }
        if let items { return ConfigNode(.sequence(items.map(\.resolved))) }
        return node ?? ConfigNode(.scalar(.null))
    }
}

private struct NodeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.entries == nil { slot.entries = [] }
        return KeyedEncodingContainer(KeyedSlotContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.items == nil { slot.items = [] }
        return UnkeyedSlotContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleSlotContainer(slot: slot, codingPath: codingPath)
    }
}

private func encodeChild<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> Slot {
    let child = Slot()
    try value.encode(to: NodeEncoder(slot: child, codingPath: path))
    child.node = child.resolved
    return child
}

private struct KeyedSlotContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    func put(_ key: Key, _ child: Slot) {
        if let index = slot.entries?.firstIndex(where: { $0.key == key.stringValue }) {
            slot.entries?[index].slot = child
        } else {
            slot.entries?.append((key.stringValue, child))
        }
        slot.node = nil
    }

    mutating func encodeNil(forKey key: Key) throws {
        let child = Slot()
        child.node = ConfigNode(.scalar(.null))
        put(key, child)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(key, try encodeChild(value, path: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = Slot()
        put(key, child)
        return NodeEncoder(slot: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = Slot()
        put(key, child)
        return NodeEncoder(slot: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(slot: slot, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = Slot()
        put(key, child)
        return NodeEncoder(slot: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedSlotContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int { slot.items?.count ?? 0 }

    mutating func encodeNil() throws {
        let child = Slot()
        child.node = ConfigNode(.scalar(.null))
        slot.items?.append(child)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        slot.items?.append(try encodeChild(value, path: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = Slot()
        slot.items?.append(child)
        return NodeEncoder(slot: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = Slot()
        slot.items?.append(child)
        return NodeEncoder(slot: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(slot: slot, codingPath: codingPath) }
}

private struct SingleSlotContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    func set(_ scalar: ConfigNode.Scalar) { slot.node = ConfigNode(.scalar(scalar)) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(.double(value)) }
    mutating func encode(_ value: Float) throws { set(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { set(.int(value)) }
    mutating func encode(_ value: Int8) throws { set(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { set(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { set(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { set(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { set(.int(Int(value))) }
    mutating func encode(_ value: UInt8) throws { set(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { set(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { set(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { set(.int(Int(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: NodeEncoder(slot: slot, codingPath: codingPath))
    }
}
