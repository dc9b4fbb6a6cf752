/// The answer to the last question asked, kept at hand: a rule reading a file's imports asks about one module
/// several times in a row (`from m import a, b, c` is a fact a name), and comparing a module name with the
/// last costs a few instructions where hashing it for a table costs hundreds.
public struct LastAnswer<Value> {
    @usableFromInline var last: (key: String, value: Value)?

    public init() {}

    /// The answer for `key`: the last one when `key` is the last key asked, else what `answer` gives, kept.
    @inlinable
    public mutating func value(for key: String, _ answer: (String) throws -> Value) rethrows -> Value {
        if let last, last.key == key { return last.value }
        let value = try answer(key)
        last = (key, value)
        return value
    }
}
