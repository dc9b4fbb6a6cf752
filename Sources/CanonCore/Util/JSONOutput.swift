import Foundation

/// Encodes `Encodable` values to JSON byte for byte as Foundation's `JSONEncoder` does with `.sortedKeys` and
/// `.withoutEscapingSlashes` (and `.prettyPrinted` when asked), at a fraction of its cost: reports of thousands
/// of findings spent more time in `JSONEncoder` than a cached scan spent finding them.
///
/// Keys are sorted by their UTF-8 bytes; strings escape `"`, `\` and control characters only; numbers print as
/// Swift prints them, without a trailing `.0`; `URL` encodes as its absolute string and `Data` as Base64, as
/// `JSONEncoder`'s default strategies do. A non-finite number is an `EncodingError`, as it is there. Two
/// differences, in values Canon never encodes: a `Float` prints as the `Double` it converts to, and an
/// integer beyond `Int`'s range is an error.
public enum JSONOutput {
    /// `value` as JSON text; pretty-printed with two-space indentation when `pretty`.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool) throws -> [UInt8] {
        let slot = try TreeEncoder.encode(value)
        guard slot.entries != nil || slot.items != nil || slot.scalar != nil || slot.deferred != nil else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        var writer = Writer(pretty: pretty)
        try writer.write(slot, depth: 0)
        // With room for the line break `fileBytes` adds, so that adding it does not copy the report.
        return writer.bytes.array(spare: 1)
    }

    /// `value` as the text of a JSON file Canon writes: pretty-printed, ending in a newline. For values of
    /// strings, integers and booleans, which do not fail to encode (`{}` if one did).
    public static func text<T: Encodable>(_ value: T) -> String {
        String(decoding: fileBytes(value), as: UTF8.self)
    }

    /// `text`'s bytes, for writing to a file or stream without first copying them into a `String`, which for a
    /// report of megabytes took as long as writing the file.
    public static func fileBytes<T: Encodable>(_ value: T) -> [UInt8] {
        var bytes = (try? encode(value, pretty: true)) ?? Array("{}".utf8)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// An array that `encode` encodes and writes on every core, in chunks joined in order: for arrays of
    /// thousands of values (a report's findings), which would otherwise be encoded on one thread while the
    /// others wait. The JSON is the same as the plain array's; any other encoder sees the plain array.
    public struct Elements<Element: Encodable & Sendable>: Encodable, Sendable, DeferredElements {
        public var elements: [Element]
        /// How many threads encode them; nil: one a core.
        public var jobs: Int?

        public init(_ elements: [Element], jobs: Int? = nil) {
            self.elements = elements
            self.jobs = jobs
        }

        public func encode(to encoder: any Encoder) throws {
            if TreeEncoder.deferring(self, to: encoder) { return }
            try elements.encode(to: encoder)
        }

        var count: Int { elements.count }

        func slot(at index: Int) throws -> TreeEncoder.Slot {
            try TreeEncoder.encode(elements[index])
        }

        func members(at index: Int) -> (any JSONObjectMembers)? {
            elements[index] as? any JSONObjectMembers
        }
    }
}

/// A value that `JSONOutput` writes member by member when it is an item of `JSONOutput.Elements` (or of a list
/// such an item writes), without first building its tree through `Encodable`, which cost a report about a
/// hundred small allocations a finding. `writeMembers` must write what `encode(to:)` encodes: the members in
/// key order (by UTF-8 bytes), each once, a nil optional left out as `encodeIfPresent` leaves it out.
public protocol JSONObjectMembers: Encodable, Sendable {
    /// Writes the object's members, in key order.
    func writeMembers(to object: inout JSONObjectWriter)
}

/// Writes the members of one object for `JSONObjectMembers`, laid out as `JSONOutput` lays out any object.
public struct JSONObjectWriter: ~Copyable {
    fileprivate var writer: Writer
    /// The depth of the members (one below the object's braces).
    fileprivate let depth: Int
    fileprivate var isEmpty = true
    #if DEBUG
        private var lastKey: [UInt8] = []
    #endif

    fileprivate init(writer: consuming Writer, depth: Int) {
        self.writer = writer
        self.depth = depth
    }

    public mutating func member(_ key: StaticString, _ value: String) {
        name(key)
        writer.string(value)
    }

    /// Leaves the member out when `value` is nil.
    public mutating func member(_ key: StaticString, _ value: String?) {
        if let value { member(key, value) }
    }

    public mutating func member(_ key: StaticString, _ value: Int) {
        name(key)
        writer.bytes.append(decimal: value)
    }

    public mutating func member(_ key: StaticString, _ value: Bool) {
        name(key)
        writer.bytes.append(value ? "true" : "false")
    }

    /// Leaves the member out when `value` is nil.
    public mutating func member(_ key: StaticString, _ value: Int?) {
        if let value { member(key, value) }
    }

    /// An object written by its own members.
    public mutating func member(_ key: StaticString, _ value: some JSONObjectMembers) {
        name(key)
        writer.object(value, depth: depth)
    }

    /// Leaves the member out when `value` is nil.
    public mutating func member(_ key: StaticString, _ value: (some JSONObjectMembers)?) {
        if let value { member(key, value) }
    }

    /// An object of strings, its keys in order of their UTF-8 bytes.
    public mutating func member(_ key: StaticString, _ values: [String: String]) {
        name(key)
        let keys = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        writer.open(UInt8(ascii: "{"), isEmpty: keys.isEmpty)
        for (position, key) in keys.enumerated() {
            writer.separate(first: position == 0, depth: depth + 1)
            writer.string(key)
            writer.colon()
            writer.string(values[key]!)
        }
        writer.close(UInt8(ascii: "}"), depth: depth)
    }

    /// Leaves the member out when `values` is nil.
    public mutating func member<Element: JSONObjectMembers>(_ key: StaticString, _ values: [Element]?) {
        if let values { member(key, values) }
    }

    /// A list of objects, each written by its own members.
    public mutating func member<Element: JSONObjectMembers>(_ key: StaticString, _ values: [Element]) {
        name(key)
        writer.open(UInt8(ascii: "["), isEmpty: values.isEmpty)
        // By index: this generic function is not specialized for its callers' types, and an enumerated
        // sequence's iterator then costs more than the writing.
        for position in values.indices {
            writer.separate(first: position == 0, depth: depth + 1)
            writer.object(values[position], depth: depth + 1)
        }
        writer.close(UInt8(ascii: "]"), depth: depth)
    }

    private mutating func name(_ key: StaticString) {
        #if DEBUG
            let bytes = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
            precondition(
                lastKey.lexicographicallyPrecedes(bytes) || (lastKey.isEmpty && isEmpty),
                "JSONObjectWriter: member '\(key)' written out of key order")
            precondition(!bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }, "JSONObjectWriter: key '\(key)' needs escaping")
            lastKey = Array(bytes)
        #endif
        writer.separate(first: isEmpty, depth: depth)
        isEmpty = false
        writer.bytes.append(UInt8(ascii: "\""))
        writer.bytes.append(key)
        writer.bytes.append(UInt8(ascii: "\""))
        writer.colon()
    }
}

/// Writes slots as `JSONEncoder` lays them out: `"key" : value`, two spaces a level, and an empty container
/// as its brackets around a blank line when pretty; no whitespace at all when not.
private struct Writer: ~Copyable {
    let pretty: Bool
    var bytes: ByteBuffer
    private var orders: [(keys: [String], order: [Int])] = []

    /// A writer with room for `capacity` bytes; with none, it allocates nothing (one is made for each object
    /// written by its members, only to be swapped with the writer that holds the bytes).
    init(pretty: Bool, capacity: Int = 1 << 16) {
        self.pretty = pretty
        bytes = ByteBuffer(capacity: capacity)
    }

    mutating func write(_ slot: TreeEncoder.Slot, depth: Int) throws {
        if let entries = slot.entries {
            let order = order(of: entries)
            open(UInt8(ascii: "{"), isEmpty: order.isEmpty)
            for (position, index) in order.enumerated() {
                separate(first: position == 0, depth: depth + 1)
                string(entries[index].key)
                colon()
                try write(entries[index].slot, depth: depth + 1)
            }
            close(UInt8(ascii: "}"), depth: depth)
        } else if let deferred = slot.deferred {
            open(UInt8(ascii: "["), isEmpty: deferred.count == 0)
            try items(deferred, depth: depth + 1)
            close(UInt8(ascii: "]"), depth: depth)
        } else if let items = slot.items {
            open(UInt8(ascii: "["), isEmpty: items.isEmpty)
            for (position, item) in items.enumerated() {
                separate(first: position == 0, depth: depth + 1)
                try write(item, depth: depth + 1)
            }
            close(UInt8(ascii: "]"), depth: depth)
        } else {
            switch slot.scalar {
            case nil:
                // A nested value that encoded nothing is an empty object, as in `JSONEncoder`.
                open(UInt8(ascii: "{"), isEmpty: true)
                close(UInt8(ascii: "}"), depth: depth)
            case .null: bytes.append("null")
            case .bool(let value): bytes.append(value ? "true" : "false")
            case .int(let value): bytes.append(decimal: value)
            case .double(let value):
                guard value.isFinite else {
                    throw EncodingError.invalidValue(
                        value, EncodingError.Context(codingPath: [], debugDescription: "Unable to encode Double.\(value) directly in JSON."))
                }
                let text = value.description
                (text.hasSuffix(".0") ? String(text.dropLast(2)) : text).withBorrowedUTF8 { bytes.append($0) }
            case .string(let text): string(text)
            }
        }
    }

    /// Writes the items of `deferred` as `write` writes an array's items at `depth`, separators included: encoded
    /// and written in chunks, each by a writer of its own, on every core, then copied in once, into room made
    /// for all of them (joined into a list of their own first, a report's megabytes were copied twice more, and
    /// as often again while each buffer grew).
    private mutating func items(_ deferred: any DeferredElements, depth: Int) throws {
        let pretty = pretty
        let (count, size) = (deferred.count, 64)
        let starts = Array(stride(from: 0, to: count, by: size))
        let written = concurrentMap(starts, jobs: deferred.jobs ?? ProcessInfo.processInfo.activeProcessorCount) { start in
            Result { () throws -> Chunk in
                var writer = Writer(pretty: pretty)
                for index in start..<min(count, start + size) {
                    writer.separate(first: index == 0, depth: depth)
                    if let members = deferred.members(at: index) {
                        writer.object(members, depth: depth)
                    } else {
                        try writer.write(deferred.slot(at: index), depth: depth)
                    }
                }
                return Chunk(writer.bytes)
            }
        }
        let chunks = try written.map { try $0.get() }
        // With room to spare for what follows the array, so that closing the document does not grow it again.
        bytes.reserve(chunks.reduce(0) { $0 + $1.bytes.count } + (1 << 16))
        for chunk in chunks { chunk.bytes.withUnsafeBytes { bytes.append($0) } }
    }

    /// The bytes one thread wrote for `items`, handed to the writer that joins them as they are: copied into an
    /// array on the way, a report's megabytes were copied once more, into memory of their own.
    private final class Chunk: @unchecked Sendable {
        // Sendable is sound: the bytes are written by one worker before `concurrentMap` returns, and only read
        // after it has, on the thread that joins them.
        let bytes: ByteBuffer

        init(_ bytes: consuming ByteBuffer) { self.bytes = bytes }
    }

    /// Writes `value` as an object at `depth` through its own members (see `JSONObjectMembers`).
    fileprivate mutating func object(_ value: some JSONObjectMembers, depth: Int) {
        // The bytes are handed to the object's writer and back by swapping, so the buffer is never shared.
        var object = JSONObjectWriter(writer: Writer(pretty: pretty, capacity: 0), depth: depth + 1)
        swap(&object.writer, &self)
        object.writer.bytes.append(UInt8(ascii: "{"))
        value.writeMembers(to: &object)
        // As `open` writes an empty object.
        if object.isEmpty && pretty { object.writer.bytes.append(UInt8(ascii: "\n")) }
        object.writer.close(UInt8(ascii: "}"), depth: depth)
        swap(&object.writer, &self)
    }

    /// The order in which an object's entries are written: by key bytes, and of a key encoded more than once,
    /// its last. Objects of one type share their keys, so the orders of the last few key lists are kept.
    private mutating func order(of entries: [(key: String, slot: TreeEncoder.Slot)]) -> [Int] {
        for known in orders where known.keys.count == entries.count {
            if zip(known.keys, entries).allSatisfy({ $0 == $1.key }) { return known.order }
        }
        let sorted = entries.indices.sorted { a, b in
            let (left, right) = (entries[a].key, entries[b].key)
            if left == right { return a < b }
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        var order: [Int] = []
        order.reserveCapacity(sorted.count)
        for position in sorted {
            if let last = order.last, entries[last].key == entries[position].key {
                order[order.count - 1] = position
            } else {
                order.append(position)
            }
        }
        if orders.count == 16 { orders.removeFirst() }
        orders.append((entries.map(\.key), order))
        return order
    }

    fileprivate mutating func open(_ bracket: UInt8, isEmpty: Bool) {
        bytes.append(bracket)
        if pretty && isEmpty { bytes.append(UInt8(ascii: "\n")) }
    }

    fileprivate mutating func separate(first: Bool, depth: Int) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        if pretty { newline(depth: depth) }
    }

    /// The colon between a key and its value.
    fileprivate mutating func colon() {
        bytes.append(pretty ? " : " : ":")
    }

    fileprivate mutating func close(_ bracket: UInt8, depth: Int) {
        if pretty { newline(depth: depth) }
        bytes.append(bracket)
    }

    private mutating func newline(depth: Int) {
        // A line break and the indentation, copied in one piece from a literal for the few levels a report's
        // lines are deep.
        let spaces = 2 * depth
        let run: StaticString = "\n                                "
        guard spaces < run.utf8CodeUnitCount else {
            bytes.append(UInt8(ascii: "\n"))
            for _ in 0..<spaces { bytes.append(UInt8(ascii: " ")) }
            return
        }
        bytes.append(UnsafeBufferPointer(start: run.utf8Start, count: 1 + spaces))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    fileprivate mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        text.withBorrowedUTF8 { escaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `utf8` with `"`, `\` and control characters escaped; most strings have none, and go in one append.
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard Self.needsEscaping(utf8) else { return bytes.append(utf8) }
        var start = 0
        for (position, byte) in utf8.enumerated() where Self.needsEscape(byte) {
            bytes.append(UnsafeBufferPointer(rebasing: utf8[start..<position]))
            start = position + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append("u00")
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            }
        }
        bytes.append(UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether a byte of `utf8` needs escaping, read eight bytes at a time: with `ones` in every byte,
    /// `(w - n * ones) & ~w & highs` is nonzero exactly when a byte of `w` is below `n` (for `n` up to 128), and
    /// a byte equal to `c` is a byte of `w ^ (c * ones)` below 1.
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let (ones, highs): (UInt64, UInt64) = (0x0101_0101_0101_0101, 0x8080_8080_8080_8080)
        func below(_ n: UInt64, _ w: UInt64) -> UInt64 { (w &- n &* ones) & ~w & highs }
        var k = 0
        while k + 8 <= utf8.count {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
            if below(0x20, w) | below(1, w ^ (0x22 &* ones)) | below(1, w ^ (0x5C &* ones)) != 0 { return true }
            k += 8
        }
        while k < utf8.count {
            if needsEscape(base[k]) { return true }
            k += 1
        }
        return false
    }
}
