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

    /// The index of the first `byte` (an ASCII code unit, such as a dot), found in the string's borrowed UTF-8
    /// bytes: `utf8.firstIndex(of:)` steps through the view's indices one at a time, checking each, several
    /// times the instructions on the paths that split every module name.
    @inlinable
    public func firstIndex(ofASCII byte: UInt8) -> Index? {
        withBorrowedUTF8 { $0.firstIndex(of: byte) }.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }

    /// The index of the last `byte` (an ASCII code unit), found as `firstIndex(ofASCII:)` finds the first.
    @inlinable
    public func lastIndex(ofASCII byte: UInt8) -> Index? {
        withBorrowedUTF8 { $0.lastIndex(of: byte) }.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }
}
