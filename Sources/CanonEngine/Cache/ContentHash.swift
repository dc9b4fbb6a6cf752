/// A 128-bit hash of bytes, fast enough to run over every file of a large tree (several GB/s): two lanes of
/// 64-bit multiply-mix over 16-byte blocks. It tells changed content from unchanged for the cache; it is not
/// a cryptographic hash and is not meant to resist chosen collisions.
public struct ContentHash: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    private static let k0: UInt64 = 0xa076_1d64_78bd_642f
    private static let k1: UInt64 = 0xe703_7ed1_a0b4_28db
    private static let k2: UInt64 = 0x8ebc_6af0_9c88_c6e3
    private static let k3: UInt64 = 0x5899_65cc_7537_4cc3

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Mixes the 16-byte block at `offset` into the two lanes.
    @inline(__always)
    private static func step(_ base: UnsafeRawPointer, _ offset: Int, _ a: inout UInt64, _ b: inout UInt64) {
        let w0 = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        let w1 = base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self)
        a = mix(w0 ^ k2, w1 ^ a)
        b = mix(w1 ^ k3, w0 ^ b &+ k0)
    }

    /// The hash of `bytes`.
    public static func of(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> ContentHash {
        var a = seed ^ k0
        var b = seed ^ k1
        var offset = 0
        let count = bytes.count
        if let base = bytes.baseAddress {
            // Four blocks a turn: a turn of one block spent as many instructions on the loop (bounds, overflow
            // and nil checks) as on the block, over every byte of every file and of the cache files.
            let whole = count & ~15
            while offset &+ 64 <= whole {
                step(base, offset, &a, &b)
                step(base, offset &+ 16, &a, &b)
                step(base, offset &+ 32, &a, &b)
                step(base, offset &+ 48, &a, &b)
                offset &+= 64
            }
            while offset < whole {
                step(base, offset, &a, &b)
                offset &+= 16
            }
        }
        var tail0: UInt64 = 0
        var tail1: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            if shift < 64 { tail0 |= UInt64(bytes[offset]) << shift } else { tail1 |= UInt64(bytes[offset]) << (shift - 64) }
            shift += 8
            offset += 1
        }
        a = mix(tail0 ^ k2, tail1 ^ a ^ UInt64(count))
        b = mix(tail1 ^ k3, tail0 ^ b ^ UInt64(count) &+ k1)
        return ContentHash(high: mix(a ^ k0, b ^ k1), low: mix(b ^ k2, a ^ k3))
    }

    /// The hash of `bytes`.
    public static func of(_ bytes: [UInt8], seed: UInt64 = 0) -> ContentHash {
        bytes.withUnsafeBytes { of($0, seed: seed) }
    }

    /// The hash of what `writer` has written so far.
    static func of(_ writer: borrowing ByteWriter) -> ContentHash {
        writer.withUnsafeBytes { of($0) }
    }

    /// The hash of a string's UTF-8 bytes.
    public static func of(_ text: String, seed: UInt64 = 0) -> ContentHash {
        text.withBorrowedUTF8 { of(UnsafeRawBufferPointer($0), seed: seed) }
    }

    public var description: String {
        let hex = String(high, radix: 16) + ":" + String(low, radix: 16)
        return hex
    }
}
