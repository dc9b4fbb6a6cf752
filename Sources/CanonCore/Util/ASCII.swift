/// Checks on bytes that front ends and fingerprinting share.
public enum ASCII {
    /// Whether every byte of `bytes` is ASCII, eight bytes at a time.
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var k = 0
        while k + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: k, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            k += 8
        }
        while k < bytes.count {
            if bytes[k] >= 0x80 { return false }
            k += 1
        }
        return true
    }
}
