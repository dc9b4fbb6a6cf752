import Foundation

/// Writing to open files, shared by the report writer and console, the cache and the fix writer.
public enum FileOutput {
    /// Writes all of `bytes` to `descriptor`, again after an interrupted (`EINTR`) or partial write; returns
    /// the `errno` of the first failure, or nil when everything was written.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, base + written, bytes.count - written)
            if count >= 0 {
                written += count
            } else if errno != EINTR {
                return errno
            }
        }
        return nil
    }
}

extension FileOutput {
    /// Puts the finished file at `temporary` in the place of `path`, atomically: a reader of `path` sees the
    /// old file or the new one, never neither nor half. Returns the `errno` of a failure (`temporary` is then
    /// left for the caller to remove), or nil.
    ///
    /// Where `path` is a regular file already, the two are swapped (`renameat2` with `RENAME_EXCHANGE`, Linux)
    /// and the old one, now at `temporary`, removed. A plain `rename` over an existing file makes ext4 allocate
    /// the new file's blocks and start writing them out before it returns (its `auto_da_alloc` safeguard for
    /// programs that forget `fsync`): 3.8 to 4.3 ms for a 5 MB report here, against 0.5 ms swapped and removed.
    /// Neither waits for the disk; a caller that needs the file on the disk calls `fsync` first, and then
    /// either way costs the same.
    public static func replace(_ path: String, with temporary: String) -> Int32? {
        var existing = stat()
        if lstat(path, &existing) == 0, existing.st_mode & S_IFMT == S_IFREG, exchange(temporary, path) {
            // The old file is now at `temporary`; the new one is in place whatever this does.
            unlink(temporary)
            return nil
        }
        return rename(temporary, path) == 0 ? nil : errno
    }

    /// Swaps the files at `first` and `second`; false where the system or file system cannot (the caller then
    /// renames).
    private static func exchange(_ first: String, _ second: String) -> Bool {
        #if os(Linux)
            guard let renameat2 = renameat2Function else { return false }
            return renameat2(AT_FDCWD, first, AT_FDCWD, second, renameExchange) == 0
        #else
            return false
        #endif
    }

    #if os(Linux)
        private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        /// glibc's `renameat2` (2.28 and later), looked up because Swift's Glibc module leaves it out (it is
        /// declared for `_GNU_SOURCE` only); nil in a C library without it.
        private static let renameat2Function: RenameAt2? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
            return unsafeBitCast(symbol, to: RenameAt2.self)
        }()
        /// `RENAME_EXCHANGE` from <linux/fs.h>.
        private static let renameExchange: UInt32 = 2
    #endif
}
