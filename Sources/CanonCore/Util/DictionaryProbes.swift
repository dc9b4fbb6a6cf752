extension Dictionary {
    /// Stores `value` under `key` unless the key already has a value; returns whether it stored it. One hash
    /// and one probe, where `if dictionary[key] == nil { dictionary[key] = value }` takes two.
    @inlinable
    @discardableResult
    public mutating func insertIfAbsent(_ key: Key, _ value: @autoclosure () -> Value) -> Bool {
        Self.fillIfEmpty(&self[key], value)
    }

    @inlinable
    static func fillIfEmpty(_ slot: inout Value?, _ value: () -> Value) -> Bool {
        guard slot == nil else { return false }
        slot = value()
        return true
    }
}
