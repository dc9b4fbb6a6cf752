/// A table keyed by names, read and written by `String` as a dictionary is, whose probes hash a name with
/// `NameHash` (see `HashedName`): for tables of module names, which resolution probes again and again and a
/// `String` key hashes byte by byte through `Hasher`, a few hundred instructions a probe for a long name.
public struct NameTable<Value> {
    @usableFromInline var storage: [HashedName: Value]

    @inlinable
    public init(minimumCapacity: Int = 0) { storage = Dictionary(minimumCapacity: minimumCapacity) }

    @inlinable
    public subscript(name: String) -> Value? {
        get { storage[HashedName(name)] }
        set { storage[HashedName(name)] = newValue }
    }

    @inlinable
    public subscript(name: String, default value: @autoclosure () -> Value) -> Value {
        get { storage[HashedName(name)] ?? value() }
        _modify { yield &storage[HashedName(name), default: value()] }
    }

    /// The names, in the table's order.
    @inlinable
    public var keys: LazyMapSequence<Dictionary<HashedName, Value>.Keys, String> { storage.keys.lazy.map(\.text) }
    @inlinable
    public var values: Dictionary<HashedName, Value>.Values { storage.values }
    @inlinable
    public var count: Int { storage.count }
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }

    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) { storage.reserveCapacity(capacity) }

    /// Stores `value` under `name` unless the name already has a value; returns whether it stored it.
    @inlinable
    @discardableResult
    public mutating func insertIfAbsent(_ name: String, _ value: @autoclosure () -> Value) -> Bool {
        storage.insertIfAbsent(HashedName(name), value())
    }

    /// Adds `other`'s entries, `combine` making one value of two for a name both hold.
    @inlinable
    public mutating func merge(_ other: NameTable<Value>, combining combine: (Value, Value) -> Value) {
        storage.merge(other.storage, uniquingKeysWith: combine)
    }
}

extension NameTable: Sequence {
    @inlinable
    public func makeIterator() -> LazyMapSequence<[HashedName: Value], (key: String, value: Value)>.Iterator {
        storage.lazy.map { (key: $0.key.text, value: $0.value) }.makeIterator()
    }

    @inlinable
    public var underestimatedCount: Int { storage.count }
}

extension NameTable: Sendable where Value: Sendable {}
extension NameTable: Equatable where Value: Equatable {}

extension NameTable: ExpressibleByDictionaryLiteral {
    @inlinable
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(minimumCapacity: elements.count)
        for (name, value) in elements { self[name] = value }
    }
}

/// A set of names, read and written by `String` as a `Set<String>` is, whose probes hash a name with `NameHash`
/// (see `HashedName`), as `NameTable` does for a dictionary: for sets of module names, which resolution and the
/// import graph ask about again and again, where a `String` element is hashed byte by byte through `Hasher`.
public struct NameSet: Sendable, Equatable {
    @usableFromInline var storage: Set<HashedName>

    /// An empty set with room for `minimumCapacity` names.
    @inlinable
    public init(minimumCapacity: Int = 0) { storage = Set(minimumCapacity: minimumCapacity) }

    /// The set of `names`.
    @inlinable
    public init<S: Sequence>(_ names: S) where S.Element == String {
        self.init(minimumCapacity: names.underestimatedCount)
        for name in names { storage.insert(HashedName(name)) }
    }

    /// Whether `name` is in the set.
    @inlinable
    public func contains(_ name: String) -> Bool { storage.contains(HashedName(name)) }

    /// Adds `name`; returns whether it was not there yet.
    @inlinable
    @discardableResult
    public mutating func insert(_ name: String) -> Bool { storage.insert(HashedName(name)).inserted }

    /// Takes `name` out of the set, if it is there.
    @inlinable
    public mutating func remove(_ name: String) { storage.remove(HashedName(name)) }

    /// Adds every name of `other`.
    @inlinable
    public mutating func formUnion(_ other: NameSet) { storage.formUnion(other.storage) }

    /// Adds every one of `names`.
    @inlinable
    public mutating func formUnion<S: Sequence>(_ names: S) where S.Element == String {
        for name in names { storage.insert(HashedName(name)) }
    }

    /// How many names the set holds.
    @inlinable
    public var count: Int { storage.count }
    /// Whether the set holds no name.
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }
}

extension NameSet: Sequence {
    /// The names, in the set's order.
    @inlinable
    public func makeIterator() -> LazyMapSequence<Set<HashedName>, String>.Iterator {
        storage.lazy.map(\.text).makeIterator()
    }

    @inlinable
    public var underestimatedCount: Int { storage.count }
}

extension NameSet: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral names: String...) { self.init(names) }
}
