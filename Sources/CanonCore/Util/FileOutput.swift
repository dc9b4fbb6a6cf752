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
