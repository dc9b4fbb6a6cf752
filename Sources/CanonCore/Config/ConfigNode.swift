/// Where a configuration value was written: a file, a line and a column, all 1-based.
public struct ConfigMark: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    /// The file name under which the built-in default policy's values are marked.
    public static let builtInFile = "<default>"
}

/// A configuration value with the place it was written, independent of any YAML library, so detectors can
/// decode their options with core alone.
public struct ConfigNode: Sendable, Hashable {
    public enum Scalar: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
    }

    public indirect enum Value: Sendable, Hashable {
        case scalar(Scalar)
        case sequence([ConfigNode])
        /// Keys in the order written.
        case mapping([(key: String, keyMark: ConfigMark?, value: ConfigNode)])

        public static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.scalar(let a), .scalar(let b)): a == b
            case (.sequence(let a), .sequence(let b)): a == b
            case (.mapping(let a), .mapping(let b)):
                a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .scalar(let scalar): hasher.combine(scalar)
            case .sequence(let items): hasher.combine(items)
            case .mapping(let entries):
                for entry in entries {
                    hasher.combine(entry.key)
                    hasher.combine(entry.value)
                }
            }
        }
    }

    public var value: Value
    /// Nil for values that come from code (defaults).
    public var mark: ConfigMark?

    public init(_ value: Value, mark: ConfigMark? = nil) {
        self.value = value
        self.mark = mark
    }

    /// Equality ignores marks: two nodes are equal when they say the same thing.
    public static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public static let emptyMapping = ConfigNode(.mapping([]))

    /// The entries of a mapping, or nil.
    public var entries: [(key: String, keyMark: ConfigMark?, value: ConfigNode)]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }

    /// The value under `key` in a mapping.
    public subscript(key: String) -> ConfigNode? {
        entries?.first { $0.key == key }?.value
    }

    /// A short name for the node's kind, for messages.
    public var kindName: String {
        switch value {
        case .scalar(.null): "null"
        case .scalar(.bool): "a boolean"
        case .scalar(.int): "an integer"
        case .scalar(.double): "a number"
        case .scalar(.string): "a string"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// This mapping with `other`'s entries laid over it: a key in both takes `other`'s value (and mark), so
    /// lists are replaced, never concatenated.
    public func overlaid(with other: ConfigNode) -> ConfigNode {
        guard var mine = entries, let theirs = other.entries else { return other }
        for entry in theirs {
            if let index = mine.firstIndex(where: { $0.key == entry.key }) {
                mine[index] = entry
            } else {
                mine.append(entry)
            }
        }
        return ConfigNode(.mapping(mine), mark: other.mark ?? mark)
    }
}
