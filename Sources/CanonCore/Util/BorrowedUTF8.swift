extension String {
    /// Calls `body` with the string's UTF-8 bytes, borrowed where they lie: a native string (nearly every
    /// string Canon handles) is contiguous already, where `withUTF8`, being mutating, has a caller copy the
    /// string first, a retain and a release on paths that run for every name, path or fact. A bridged or
    /// otherwise non-contiguous string is copied, as `withUTF8` would.
    @inlinable
    public func withBorrowedUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
