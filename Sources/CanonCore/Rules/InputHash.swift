/// A hash of what a detector reads of one file (`Detector.factsHash`), fed value by value.
///
/// Two files fed the same values in the same order hash alike; a value is fed with what kind it is, so
/// `"ab", "c"` and `"a", "bc"` differ. `add(unordered:)` folds in a set of hashes whose order does not matter.
public struct InputHash: Sendable, Hashable {
    /// The hash of what was fed so far.
    public var value: UInt64 { state }
    @usableFromInline var state: UInt64 = 0x6A09_E667_F3BC_C908

    @inlinable
    public init() {}

    @inlinable
    public mutating func add(_ text: String) {
        state = NameHash.combine(state, NameHash.of(text))
    }

    @inlinable
    public mutating func add(_ number: Int) {
        state = NameHash.combine(state, UInt64(bitPattern: Int64(number)) ^ 0x5851_F42D_4C95_7F2D)
    }

    @inlinable
    public mutating func add(_ range: SourceRange) {
        add(range.line)
        add(range.column)
        add(range.endLine)
        add(range.endColumn)
    }

    /// Folds in `hashes` as a multiset: the same hashes in any order give the same result.
    @inlinable
    public mutating func add(unordered hashes: [UInt64]) {
        var sum: UInt64 = 0
        var count = 0
        for hash in hashes {
            sum &+= NameHash.combine(hash, 0x2545_F491_4F6C_DD1D)
            count += 1
        }
        add(count)
        state = NameHash.combine(state, sum)
    }

    @inlinable
    public mutating func add(_ value: ValueKind) {
        switch value {
        case .call(let name):
            add(1)
            add(name)
        case .alias(let name):
            add(2)
            add(name)
        case .mutableLiteral: add(3)
        case .immutableLiteral: add(4)
        case .other: add(5)
        }
    }

    @inlinable
    public mutating func add(_ kind: MutationKind) {
        switch kind {
        case .subscriptAssign: add(1)
        case .subscriptDelete: add(2)
        case .augmentedAssign: add(3)
        case .methodCall(let method):
            add(4)
            add(method)
        case .rebind: add(5)
        }
    }

    /// Every field of an import.
    @inlinable
    public mutating func add(_ fact: ImportFact) {
        add(fact.form == .from ? 1 : 0)
        add(fact.module)
        add(fact.writtenModule)
        add(fact.level)
        add(fact.name ?? "\u{0}")
        add(fact.alias ?? "\u{0}")
        add(fact.kind.rawValue)
        add(fact.range)
        add(fact.statementRange)
        add(fact.attributes.count)
        for attribute in fact.attributes { add(attribute) }
    }
}
