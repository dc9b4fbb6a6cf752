/// Appends values to a byte buffer in the cache's compact encoding: unsigned LEB128 varints, strings as a
/// length and UTF-8 bytes, optionals behind a presence byte.
///
/// The buffer is its own, never shared, so a write checks only for room (an array checks for sharing too, at
/// every byte): encoding the facts of a large tree writes some 30 MB, most of it a byte or two at a time.
struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    /// How many bytes are written.
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// A copy of the bytes written, of their exact size.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    var isEmpty: Bool { count == 0 }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Drops the first `n` bytes written, moving the rest to the front.
    mutating func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count, "ByteWriter: removeFirst(\(n)) of \(count) bytes")
        // `copyMemory` moves overlapping regions correctly (it is `memmove`).
        UnsafeMutableRawPointer(base).copyMemory(from: base + n, byteCount: count - n)
        count -= n
    }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if extra > capacity - count { grow(to: count + extra) }
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    mutating func byte(_ value: UInt8) {
        reserve(1)
        base[count] = value
        count += 1
    }

    /// Inlined for the one-byte case, which most are (counts, columns, kinds).
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        guard value >= 0x80 || count == capacity else {
            base[count] = UInt8(truncatingIfNeeded: value)
            count += 1
            return
        }
        longVarint(value)
    }

    @inline(never)
    private mutating func longVarint(_ value: UInt64) {
        reserve(10)
        var value = value
        var at = count
        while value >= 0x80 {
            base[at] = UInt8(truncatingIfNeeded: value) | 0x80
            at += 1
            value >>= 7
        }
        base[at] = UInt8(value)
        count = at + 1
    }

    /// A signed integer, zigzag-encoded so small negative values stay short.
    mutating func int(_ value: Int) {
        let wide = Int64(value)
        varint(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }

    mutating func fixed64(_ value: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count += 8
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

    mutating func raw(_ other: [UInt8]) { other.withUnsafeBytes { raw($0) } }

    mutating func raw(_ other: UnsafeRawBufferPointer) {
        guard let source = other.baseAddress, !other.isEmpty else { return }
        reserve(other.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: other.count)
        count += other.count
    }
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

    mutating func byte() throws(CorruptCache) -> UInt8 {
        guard offset < buffer.count else { throw CorruptCache() }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func varint() throws(CorruptCache) -> UInt64 {
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

    mutating func int() throws(CorruptCache) -> Int {
        let raw = try varint()
        let value = Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
        guard let result = Int(exactly: value) else { throw CorruptCache() }
        return result
    }

    /// A count of items still to read, bounded by the bytes left (every item takes at least one byte).
    mutating func count() throws(CorruptCache) -> Int {
        let raw = try varint()
        guard raw <= UInt64(buffer.count - offset) else { throw CorruptCache() }
        return Int(raw)
    }

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
