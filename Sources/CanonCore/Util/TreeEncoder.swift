import Foundation

/// An `Encoder` that builds a tree of values, which `ConfigEncoder` turns into a `ConfigNode` and `JSONOutput`
/// writes as JSON. Scalars that `JSONEncoder` writes without asking the value (strings, numbers, booleans,
/// `URL` as its absolute string, `Data` as Base64) are taken directly, so most values never reach an
/// `encode(to:)`.
enum TreeEncoder {
    /// `value`'s tree; a value that encodes nothing leaves its slot empty.
    static func encode<T: Encodable>(_ value: T) throws -> Slot {
        try child(value, codingPath: [])
    }

    /// One encoded value: a scalar, keyed entries, or items; none of them when nothing was encoded. Encoding
    /// is synchronous and never crosses threads.
    final class Slot {
        var scalar: ConfigNode.Scalar?
        /// In the order encoded; a key encoded again appears again (readers keep its last value).
        var entries: [(key: String, slot: Slot)]?
        var items: [Slot]?
        /// Items not encoded yet (see `DeferredElements`).
        var deferred: (any DeferredElements)?
    }

    /// The scalars are told by their static type, not by dynamic casts: a cast that fails costs a runtime
    /// look-up, and most values are of none of these types. (An optional takes its `encode(to:)`, which
    /// comes back here with the wrapped value.)
    fileprivate static func child<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> Slot {
        let slot = Slot()
        if T.self == String.self {
            slot.scalar = .string(unsafeBitCast(value, to: String.self))
        } else if T.self == Int.self {
            slot.scalar = .int(unsafeBitCast(value, to: Int.self))
        } else if T.self == Bool.self {
            slot.scalar = .bool(unsafeBitCast(value, to: Bool.self))
        } else if T.self == Double.self {
            slot.scalar = .double(unsafeBitCast(value, to: Double.self))
        } else if T.self == URL.self {
            slot.scalar = .string(unsafeBitCast(value, to: URL.self).absoluteString)
        } else if T.self == Data.self {
            slot.scalar = .string(unsafeBitCast(value, to: Data.self).base64EncodedString())
        } else {
            try value.encode(to: NodeEncoder(slot: slot, codingPath: codingPath))
        }
        return slot
    }

    /// Leaves `elements` in the slot `encoder` fills, when `encoder` is this one's; false when it is another
    /// encoder, which should be given the plain array.
    static func deferring(_ elements: any DeferredElements, to encoder: any Encoder) -> Bool {
        guard let node = encoder as? NodeEncoder else { return false }
        node.slot.deferred = elements
        return true
    }

    fileprivate static func integer<I: BinaryInteger>(_ value: I, codingPath: [any CodingKey]) throws -> ConfigNode.Scalar {
        guard let int = Int(exactly: value) else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: codingPath, debugDescription: "\(value) does not fit in an Int."))
        }
        return .int(int)
    }
}

/// The items of an array whose encoding is put off until `JSONOutput` writes them, so that it can encode and
/// write them on every core (see `JSONOutput.Elements`); other readers of the tree encode them one by one.
protocol DeferredElements: Sendable {
    var count: Int { get }
    /// How many threads encode them; nil: one a core.
    var jobs: Int? { get }
    /// The tree of item `index`.
    func slot(at index: Int) throws -> TreeEncoder.Slot
    /// Item `index`, when it writes its own members (see `JSONObjectMembers`).
    func members(at index: Int) -> (any JSONObjectMembers)?
}

private typealias Slot = TreeEncoder.Slot

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

private struct KeyedSlotContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    private func put(_ key: Key, _ child: Slot) { slot.entries?.append((key.stringValue, child)) }

    private func put(_ key: Key, _ scalar: ConfigNode.Scalar) {
        let child = Slot()
        child.scalar = scalar
        put(key, child)
    }

    mutating func encodeNil(forKey key: Key) throws { put(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(key, .string(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(key, .int(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key, .double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key, .double(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(key, try TreeEncoder.child(value, codingPath: codingPath + [key]))
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

    mutating func superEncoder() -> any Encoder {
        let child = Slot()
        slot.entries?.append(("super", child))
        return NodeEncoder(slot: child, codingPath: codingPath + [PlainKey(string: "super")])
    }

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

    private var nextPath: [any CodingKey] { codingPath + [PlainKey(index: count)] }

    private func append(_ scalar: ConfigNode.Scalar) {
        let child = Slot()
        child.scalar = scalar
        slot.items?.append(child)
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Int) throws { append(.int(value)) }
    mutating func encode(_ value: Double) throws { append(.double(value)) }
    mutating func encode(_ value: Float) throws { append(.double(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = try TreeEncoder.child(value, codingPath: nextPath)
        slot.items?.append(child)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let (child, path) = (Slot(), nextPath)
        slot.items?.append(child)
        return NodeEncoder(slot: child, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (child, path) = (Slot(), nextPath)
        slot.items?.append(child)
        return NodeEncoder(slot: child, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let (child, path) = (Slot(), nextPath)
        slot.items?.append(child)
        return NodeEncoder(slot: child, codingPath: path)
    }
}

private struct SingleSlotContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    private func set(_ scalar: ConfigNode.Scalar) { slot.scalar = scalar }
    private func set<I: BinaryInteger>(integer value: I) throws { set(try TreeEncoder.integer(value, codingPath: codingPath)) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(.double(value)) }
    mutating func encode(_ value: Float) throws { set(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { set(.int(value)) }
    mutating func encode(_ value: Int8) throws { try set(integer: value) }
    mutating func encode(_ value: Int16) throws { try set(integer: value) }
    mutating func encode(_ value: Int32) throws { try set(integer: value) }
    mutating func encode(_ value: Int64) throws { try set(integer: value) }
    mutating func encode(_ value: UInt) throws { try set(integer: value) }
    mutating func encode(_ value: UInt8) throws { try set(integer: value) }
    mutating func encode(_ value: UInt16) throws { try set(integer: value) }
    mutating func encode(_ value: UInt32) throws { try set(integer: value) }
    mutating func encode(_ value: UInt64) throws { try set(integer: value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: NodeEncoder(slot: slot, codingPath: codingPath))
    }
}

private struct PlainKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(string: String) {
        stringValue = string
        intValue = nil
    }
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
    init?(stringValue: String) { self.init(string: stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}
