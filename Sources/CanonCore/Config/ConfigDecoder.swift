/// Decodes `Decodable` values from a `ConfigNode`, reporting wrong types with the place they were written.
///
/// Types whose `CodingKeys` are `CaseIterable` are decoded strictly: a key they do not list is an error with
/// a "did you mean". Detector options are checked against their encoded defaults instead
/// (`DetectorOptions.decode(from:rule:)`), so their keys need not be declared twice.
public struct ConfigDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from node: ConfigNode, path: String = "") throws -> T {
        do {
            return try T(from: NodeDecoder(node: node, codingPath: [], rootPath: path))
        } catch let error as ConfigError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigError.invalidValue(
                path: Self.render(path, context.codingPath), reason: "is not valid: \(context.debugDescription)",
                mark: node.mark)
        }
    }

    static func render(_ root: String, _ codingPath: [any CodingKey]) -> String {
        var text = root
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

private struct NodeDecoder: Decoder {
    let node: ConfigNode
    let codingPath: [any CodingKey]
    let rootPath: String
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: String) -> ConfigError {
        .typeMismatch(
            path: ConfigDecoder.render(rootPath, codingPath), expected: expected, found: node.kindName,
            mark: node.mark)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let entries = node.entries else { throw mismatch("a mapping") }
        if let iterable = type as? any CaseIterable.Type {
            let known = Self.keyNames(iterable)
            for entry in entries where !known.contains(entry.key) {
                let place = ConfigDecoder.render(rootPath, codingPath)
                throw ConfigError.unknownKey(
                    entry.key, mark: entry.keyMark ?? node.mark, context: place.isEmpty ? "the mapping" : "'\(place)'",
                    known: known)
            }
        }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, entries: entries))
    }

    /// The key names of a `CaseIterable` coding-key type: such types opt in to strict decoding, where a key
    /// they do not list is an error rather than ignored.
    private static func keyNames<T: CaseIterable>(_ type: T.Type) -> [String] {
        type.allCases.compactMap { ($0 as? any CodingKey)?.stringValue }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items) = node.value else { throw mismatch("a list") }
        return UnkeyedNodeContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    func child(_ node: ConfigNode, key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], rootPath: rootPath)
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let entries: [(key: String, keyMark: ConfigMark?, value: ConfigNode)]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { entries.contains { $0.key == key.stringValue } }

    func node(_ key: Key) throws -> ConfigNode {
        guard let entry = entries.first(where: { $0.key == key.stringValue }) else {
            throw ConfigError.invalidValue(
                path: ConfigDecoder.render(decoder.rootPath, codingPath + [key]), reason: "is required",
                mark: decoder.node.mark)
        }
        return entry.value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let entry = entries.first(where: { $0.key == key.stringValue }) else { return true }
        return entry.value.value == .scalar(.null)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: decoder.child(node(key), key: key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder.child(node(key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(node(key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try node(key), key: key) }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [ConfigNode]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(decoder: NodeDecoder, items: [ConfigNode]) {
        self.decoder = decoder
        self.items = items
    }

    mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw ConfigError.invalidValue(
                path: ConfigDecoder.render(decoder.rootPath, codingPath), reason: "has too few items",
                mark: decoder.node.mark)
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].value == .scalar(.null) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    { try next().container(keyedBy: type) }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var scalar: ConfigNode.Scalar? {
        if case .scalar(let scalar) = decoder.node.value { return scalar }
        return nil
    }

    func decodeNil() -> Bool { scalar == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let value) = scalar else { throw decoder.mismatch("true or false") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        switch scalar {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        default: throw decoder.mismatch("a string")
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch scalar {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: throw decoder.mismatch("a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .int(let value) = scalar else { throw decoder.mismatch("an integer") }
        guard let converted = T(exactly: value) else {
            throw ConfigError.invalidValue(
                path: ConfigDecoder.render(decoder.rootPath, codingPath), reason: "is out of range",
                mark: decoder.node.mark)
        }
        return converted
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}
