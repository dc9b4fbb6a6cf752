/// A fast 64-bit hash of text's UTF-8 bytes, for keys that hot paths hash again and again: worked out once
/// and kept in the key, so that each later probe hashes one number, not every byte through `Hasher` (about
/// 450 instructions for a module name and a symbol name).
///
/// Not for anything an attacker could choose to collide: Canon hashes the names of the project it scans, and
/// a collision costs a comparison, never a wrong answer.
public enum NameHash {
    /// The hash of `text`'s UTF-8 bytes.
    @inlinable
    public static func of(_ text: String) -> UInt64 {
        text.withBorrowedUTF8 { of(UnsafeRawBufferPointer($0)) }
    }

    /// The hash of `bytes`, eight at a time; the length is part of it, so `"a" + "bc"` and `"ab" + "c"` hashed
    /// in two parts differ.
    @inlinable
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = absorb(hash, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        let left = bytes.count - offset
        if left > 0 {
            // The last bytes, little-endian, as four, two and one: most names end in a part word, and a byte a turn
            // took more instructions than the whole words before it.
            var word: UInt64 = 0
            var shift: UInt64 = 0
            if left & 4 != 0 {
                word = UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                (offset, shift) = (offset + 4, 32)
            }
            if left & 2 != 0 {
                word |= UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian) << shift
                (offset, shift) = (offset + 2, shift + 16)
            }
            if left & 1 != 0 { word |= UInt64(bytes[offset]) << shift }
            hash = absorb(hash, word)
        }
        return hash
    }

    /// Folds two hashes into one, order mattering.
    @inlinable
    public static func combine(_ first: UInt64, _ second: UInt64) -> UInt64 {
        absorb(absorb(0x9E37_79B9_7F4A_7C15, first), second)
    }

    /// `hash` spread over all 64 bits with `seed` (MurmurHash3's finalizer), for a table's buckets, which use
    /// its low bits.
    @inlinable
    public static func finish(_ hash: UInt64, seed: Int) -> Int {
        var h = hash ^ UInt64(UInt(bitPattern: seed))
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }

    @inlinable
    static func absorb(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ (mixed >> 29)
    }
}

/// A name kept with its `NameHash`, as the key of a table that hot paths probe again and again: a probe
/// spreads one number, where a `String` key is hashed byte by byte through `Hasher` (a few hundred
/// instructions a probe, a twentieth of the symbol table's build on the shared corpora).
public struct HashedName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let text: String
    @usableFromInline let hash: UInt64

    @inlinable
    public init(_ text: String) {
        self.text = text
        hash = NameHash.of(text)
    }

    @inlinable
    public static func == (lhs: HashedName, rhs: HashedName) -> Bool { lhs.hash == rhs.hash && lhs.text == rhs.text }

    /// In the order of the texts.
    @inlinable
    public static func < (lhs: HashedName, rhs: HashedName) -> Bool { lhs.text < rhs.text }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// What `Dictionary` and `Set` ask for: the hash spread with their seed, without a `Hasher`.
    @inlinable
    public func _rawHashValue(seed: Int) -> Int { NameHash.finish(hash, seed: seed) }

    public var description: String { text }
}
