import CanonCore

/// Appends values to a byte buffer in the cache's compact encoding: unsigned LEB128 varints, strings as a
/// length and UTF-8 bytes, optionals behind a presence byte.
struct ByteWriter: ~Copyable {
    private var buffer: ByteBuffer

    init(capacity: Int = 256) {
        buffer = ByteBuffer(capacity: max(16, capacity))
    }

    /// How many bytes are written.
    var count: Int { buffer.count }

    /// A copy of the bytes written, of their exact size.
    var bytes: [UInt8] { buffer.array() }

    var isEmpty: Bool { buffer.isEmpty }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeBytes(body)
    }

    /// Drops the first `n` bytes written, moving the rest to the front.
    mutating func removeFirst(_ n: Int) { buffer.removeFirst(n) }

    mutating func removeAll() { buffer.removeAll() }

    @inline(__always)
    mutating func byte(_ value: UInt8) { buffer.append(value) }

    /// Inlined for the one-byte case, which most are (counts, columns, kinds).
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        guard value >= 0x80 else { return buffer.append(UInt8(truncatingIfNeeded: value)) }
        longVarint(value)
    }

    @inline(never)
    private mutating func longVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    /// A signed integer, zigzag-encoded so small negative values stay short.
    @inline(__always)
    mutating func int(_ value: Int) {
        let wide = Int64(value)
        varint(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    @inline(__always)
    mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }

    mutating func fixed64(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { buffer.append($0) }
    }

    mutating func string(_ value: String) {
        // Borrowed where it lies: 1.2 million strings are written for the corpora's facts.
        value.withBorrowedUTF8 { utf8 in
            varint(UInt64(utf8.count))
            raw(UnsafeRawBufferPointer(utf8))
        }
    }

    mutating func optionalString(_ value: String?) {
        guard let value else { return byte(0) }
        byte(1)
        string(value)
    }

    mutating func strings(_ values: [String]) {
        varint(UInt64(values.count))
        for value in values { string(value) }
    }

    mutating func array<T>(_ values: [T], _ element: (inout ByteWriter, T) -> Void) {
        varint(UInt64(values.count))
        for value in values { element(&self, value) }
    }

    mutating func raw(_ other: [UInt8]) { buffer.append(other) }

    mutating func raw(_ other: UnsafeRawBufferPointer) { buffer.append(other) }
}

/// A cache file that is cut short, out of range or otherwise not what Canon wrote: ignored, then rewritten.
struct CorruptCache: Error {}

/// Reads what `ByteWriter` wrote, checking every length against the bytes left.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= buffer.count }

    @inline(__always)
    mutating func byte() throws(CorruptCache) -> UInt8 {
        guard offset < buffer.count else { throw CorruptCache() }
        defer { offset += 1 }
        return buffer[offset]
    }

    /// A varint; most in facts are one byte (positions, counts, lengths), read here inline, the rest by
    /// `longVarint`. Read by a call each, they cost an edit+ scan 130 M instructions.
    @inline(__always)
    mutating func varint() throws(CorruptCache) -> UInt64 {
        if offset < buffer.count {
            let first = buffer[offset]
            if first < 0x80 {
                offset &+= 1
                return UInt64(first)
            }
        }
        return try longVarint()
    }

    @inline(never)
    private mutating func longVarint() throws(CorruptCache) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw CorruptCache() }
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    mutating func int() throws(CorruptCache) -> Int {
        let raw = try varint()
        let value = Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
        guard let result = Int(exactly: value) else { throw CorruptCache() }
        return result
    }

    /// A count of items still to read, bounded by the bytes left (every item takes at least one byte).
    @inline(__always)
    mutating func count() throws(CorruptCache) -> Int {
        let raw = try varint()
        guard raw <= UInt64(buffer.count - offset) else { throw CorruptCache() }
        return Int(raw)
    }

    @inline(__always)
    mutating func bool() throws(CorruptCache) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw CorruptCache()
        }
    }

    mutating func fixed64() throws(CorruptCache) -> UInt64 {
        guard offset + 8 <= buffer.count else { throw CorruptCache() }
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func bytes(_ count: Int) throws(CorruptCache) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= buffer.count - offset else { throw CorruptCache() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])
    }

    mutating func string() throws(CorruptCache) -> String {
        let length = try count()
        let utf8 = try bytes(length)
        return String(decoding: utf8, as: UTF8.self)
    }

    mutating func optionalString() throws(CorruptCache) -> String? {
        try bool() ? try string() : nil
    }

    mutating func strings() throws(CorruptCache) -> [String] {
        try array { (reader: inout ByteReader) throws(CorruptCache) in try reader.string() }
    }

    mutating func array<T>(_ element: (inout ByteReader) throws(CorruptCache) -> T) throws(CorruptCache) -> [T] {
        let count = try count()
        // Most lists in facts are empty (a function's decorators, say): reserving room for none still allocates.
        guard count > 0 else { return [] }
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }
}
