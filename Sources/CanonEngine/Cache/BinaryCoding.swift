import CanonCore

/// Appends values to a byte buffer in the cache's compact encoding: unsigned LEB128 varints, strings as a
/// length and UTF-8 bytes, optionals behind a presence byte.
struct ByteWriter: ~Copyable {
    private var buffer: ByteBuffer
    /// While strings are recalled (`recallingStrings`), those written so far; else `RecalledStrings.none`.
    private var recalled = RecalledStrings.none
    /// The last line written inside `recallingStrings` (see `line(_:)`).
    private var lastLine = 0

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

    /// A content hash, as its two halves; `ByteReader.hash` reads it back.
    mutating func hash(_ value: ContentHash) {
        fixed64(value.high)
        fixed64(value.low)
    }

    /// Writes what `body` writes with recalled strings (`recalledString`) numbered, each after the first copy
    /// written as that copy's number; `ByteReader.recallingStrings` reads them back.
    mutating func recallingStrings(_ body: (inout ByteWriter) -> Void) {
        precondition(!recalled.isOn, "recallingStrings does not nest")
        recalled = RecalledStrings()
        lastLine = 0
        body(&self)
        recalled = .none
    }

    /// A line number: inside `recallingStrings`, as its difference from the last one written there (a file's
    /// facts mostly go down the file, so most differences fit one byte where most lines took two); outside,
    /// as it is.
    mutating func line(_ value: Int) {
        guard recalled.isOn else { return int(value) }
        int(value &- lastLine)
        lastLine = value
    }

    mutating func string(_ value: String) {
        lengthAndBytes(of: value, lengthShiftedBy: 0)
    }

    /// `value`'s length (shifted left by `shift`) and UTF-8 bytes, borrowed where they lie: 1.2 million strings
    /// are written for the corpora's facts.
    @inline(__always)
    private mutating func lengthAndBytes(of value: String, lengthShiftedBy shift: UInt64) {
        value.withBorrowedUTF8 { utf8 in
            varint(UInt64(utf8.count) << shift)
            raw(UnsafeRawBufferPointer(utf8))
        }
    }

    /// A string of a kind a file repeats (its module in every import, a class's name in each of its methods,
    /// `self`), inside `recallingStrings`: its length twice and its bytes the first time, its number twice plus
    /// one after. Read again, each copy would be a string made again; numbered, it is the first one's.
    mutating func recalledString(_ value: String) {
        precondition(recalled.isOn, "a recalled string is written inside recallingStrings")
        if let number = recalled.number(of: value) { return varint(UInt64(number) << 1 | 1) }
        lengthAndBytes(of: value, lengthShiftedBy: 1)
    }

    /// A string behind a presence byte; `recalled` as `recalledString` writes it.
    mutating func optionalString(_ value: String?, recalled: Bool = false) {
        guard let value else { return byte(0) }
        byte(1)
        if recalled { recalledString(value) } else { string(value) }
    }

    /// A count and the strings; `recalled`, each as `recalledString` writes it.
    mutating func strings(_ values: [String], recalled: Bool = false) {
        varint(UInt64(values.count))
        for value in values {
            if recalled { recalledString(value) } else { string(value) }
        }
    }

    mutating func array<T>(_ values: [T], _ element: (inout ByteWriter, T) -> Void) {
        varint(UInt64(values.count))
        for value in values { element(&self, value) }
    }

    mutating func raw(_ other: [UInt8]) { buffer.append(other) }

    mutating func raw(_ other: UnsafeRawBufferPointer) { buffer.append(other) }
}

/// The strings a writer has written while it recalls them, each with its number in order of first writing,
/// found by the two words a string is stored as: copies of a small string hold its bytes, copies of a large
/// one the address of its storage (and its size). Each string is kept, so no storage found by its address is
/// freed and reused for another text meanwhile; two copies of one text made apart have other words, and are
/// then only written twice. An open-addressed table of numbers: a `Dictionary` cost a cold scan 300 M
/// instructions for the corpora's 1.2 million strings.
struct RecalledStrings {
    /// Every string numbered, kept only so that its storage lives as long as its slot.
    private var strings: [String] = []
    private var slots: [Slot]

    private struct Slot {
        var words: (UInt64, UInt64) = (0, 0)
        /// The string's number plus one; 0 in an empty slot.
        var number: Int32 = 0
    }

    init() {
        slots = Array(repeating: Slot(), count: 128)
        strings.reserveCapacity(32)
    }

    private init(empty: Void) {
        slots = []
    }

    /// A table that holds nothing and allocates nothing, for a writer that does not recall strings.
    static let none = RecalledStrings(empty: ())

    /// Whether this is a table strings are numbered in, not `none`.
    var isOn: Bool { !slots.isEmpty }

    private static func slot(of words: (UInt64, UInt64), mask: Int) -> Int {
        let mixed = (words.0 &* 0x9E37_79B9_7F4A_7C15) ^ (words.1 &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    /// The number of `string` when it was written before; else nil, and it is numbered next.
    mutating func number(of string: String) -> Int? {
        let words = unsafeBitCast(string, to: (UInt64, UInt64).self)
        let mask = slots.count - 1
        var slot = Self.slot(of: words, mask: mask)
        while slots[slot].number != 0 {
            if slots[slot].words == words { return Int(slots[slot].number) - 1 }
            slot = (slot + 1) & mask
        }
        strings.append(string)
        slots[slot] = Slot(words: words, number: Int32(truncatingIfNeeded: strings.count))
        if strings.count * 2 > slots.count { grow() }
        return nil
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry.number != 0 {
            var slot = Self.slot(of: entry.words, mask: mask)
            while slots[slot].number != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}

/// A cache file that is cut short, out of range or otherwise not what Canon wrote: ignored, then rewritten.
struct CorruptCache: Error {}

/// Reads what `ByteWriter` wrote, checking every length against the bytes left.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int
    /// While strings are recalled, those read so far in order of first reading.
    private var recalled: [String]?
    /// The last line read inside `recallingStrings`.
    private var lastLine = 0

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

    /// A content hash `ByteWriter.hash` wrote.
    mutating func hash() throws(CorruptCache) -> ContentHash { ContentHash(high: try fixed64(), low: try fixed64()) }

    mutating func bytes(_ count: Int) throws(CorruptCache) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= buffer.count - offset else { throw CorruptCache() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])
    }

    /// Reads what `body` reads with recalled strings written by `ByteWriter.recallingStrings`.
    mutating func recallingStrings<T>(_ body: (inout ByteReader) throws(CorruptCache) -> T) throws(CorruptCache) -> T {
        precondition(recalled == nil, "recallingStrings does not nest")
        recalled = []
        recalled!.reserveCapacity(32)
        lastLine = 0
        defer { recalled = nil }
        return try body(&self)
    }

    /// A line number `ByteWriter.line` wrote.
    @inline(__always)
    mutating func line() throws(CorruptCache) -> Int {
        guard recalled != nil else { return try int() }
        lastLine = lastLine &+ (try int())
        return lastLine
    }

    mutating func string() throws(CorruptCache) -> String {
        try newString(length: count())
    }

    /// A string `ByteWriter.recalledString` wrote.
    mutating func recalledString() throws(CorruptCache) -> String {
        guard recalled != nil else { throw CorruptCache() }
        let tag = try varint()
        guard tag & 1 == 1 else {
            let string = try newString(length: Int(tag >> 1))
            recalled!.append(string)
            return string
        }
        guard tag >> 1 < UInt64(recalled!.count) else { throw CorruptCache() }
        return recalled![Int(tag >> 1)]
    }

    private mutating func newString(length: Int) throws(CorruptCache) -> String {
        String(decoding: try bytes(length), as: UTF8.self)
    }

    mutating func optionalString(recalled: Bool = false) throws(CorruptCache) -> String? {
        guard try bool() else { return nil }
        return recalled ? try recalledString() : try string()
    }

    mutating func strings(recalled: Bool = false) throws(CorruptCache) -> [String] {
        try array { (reader: inout ByteReader) throws(CorruptCache) in recalled ? try reader.recalledString() : try reader.string() }
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
