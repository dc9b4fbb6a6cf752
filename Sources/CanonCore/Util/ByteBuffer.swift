/// A growable run of bytes that one owner writes through a pointer.
///
/// The buffer is its own, never shared, so a write checks only for room: an array checks for sharing too, at
/// every byte, and its `append(contentsOf:)` cost about 170 instructions a call. The cache's encoder writes
/// some 30 MB of facts with it, most of it a byte or two at a time, and reports write megabytes of JSON a key,
/// a colon and a line break at a time. Its writes are inlinable: a cold scan ran 77 million instructions more
/// when the encoder, in another module, called them.
public struct ByteBuffer: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>?
    @usableFromInline var written = 0
    @usableFromInline var capacity = 0

    /// A buffer with room for `capacity` bytes before it grows; none is allocated for 0.
    public init(capacity: Int) {
        if capacity > 0 {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }
    }

    deinit { base?.deallocate() }

    /// How many bytes are written.
    public var count: Int { written }

    /// Whether no byte is written.
    public var isEmpty: Bool { written == 0 }

    /// Makes room for `extra` more bytes.
    @inlinable @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if extra > capacity - written { grow(toFit: extra) }
    }

    @usableFromInline @inline(never)
    mutating func grow(toFit extra: Int) {
        let grown = max(written + extra, 2 * capacity, 256)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        if let base {
            fresh.initialize(from: base, count: written)
            base.deallocate()
        }
        base = fresh
        capacity = grown
    }

    /// Appends one byte.
    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        base.unsafelyUnwrapped[written] = byte
        written += 1
    }

    /// Appends a copy of `bytes`.
    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base.unsafelyUnwrapped + written).copyMemory(from: source, byteCount: bytes.count)
        written += bytes.count
    }

    /// Appends a copy of `bytes`.
    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(bytes)) }

    /// Appends a copy of `bytes`.
    public mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    /// Appends the UTF-8 text of a literal.
    public mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `value` in decimal, as `String(value)` writes it.
    public mutating func append(decimal value: Int) {
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let length = digits + (value < 0 ? 1 : 0)
        reserve(length)
        let start = base.unsafelyUnwrapped + written
        if value < 0 { start[0] = UInt8(ascii: "-") }
        var position = length
        repeat {
            position -= 1
            start[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        written += length
    }

    /// Calls `body` with the bytes written, in place; the pointer is valid only during the call.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: written))
    }

    /// A copy of the bytes, in an array with room for `spare` more.
    public func array(spare: Int = 0) -> [UInt8] {
        guard let base, written > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: written + spare) { room, initialized in
            room.baseAddress.unsafelyUnwrapped.initialize(from: base, count: written)
            initialized = written
        }
    }

    /// Drops the first `n` bytes, moving the rest to the front.
    public mutating func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= written, "ByteBuffer: removeFirst(\(n)) of \(written) bytes")
        guard let base else { return }
        // `copyMemory` moves overlapping regions correctly (it is `memmove`).
        UnsafeMutableRawPointer(base).copyMemory(from: base + n, byteCount: written - n)
        written -= n
    }

    /// Drops every byte, keeping the room.
    public mutating func removeAll() { written = 0 }
}
