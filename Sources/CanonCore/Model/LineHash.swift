/// GitHub code scanning's `partialFingerprints.primaryLocationLineHash`, computed exactly as GitHub's upload
/// action computes it, so that an uploaded value matches GitHub's own and alerts follow code across analyses.
///
/// A rolling hash over the next 100 non-blank UTF-16 code units from the start of each line (spaces and tabs
/// dropped, CR, LF and CRLF counted as one LF), written as lowercase hexadecimal plus `:` and the number of
/// times that value has appeared so far in the file.
public enum LineHash {
    fileprivate static let block = 100
    fileprivate static let firstModulus: UInt64 = (0..<block).reduce(UInt64(1)) { value, _ in value &* 37 }

    /// The hash of every line of `text`, line 1 first. A text ending in a newline has one more, empty, line.
    public static func hashes(of text: String) -> [String] {
        values(of: text).map(\.description)
    }

    /// One line's hash before it is written out: the rolling value and its occurrence so far in the file.
    public struct Value: Sendable, Equatable, CustomStringConvertible {
        public let hash: UInt64
        public let occurrence: Int
        /// The value as GitHub writes it: lowercase hexadecimal, `:`, the occurrence.
        public var description: String { String(hash, radix: 16) + ":" + String(occurrence) }
    }

    /// The hash of every line of `text` as values, which cost nothing to keep until one is written out.
    public static func values(of text: String) -> [Value] {
        var text = text
        return text.withUTF8 { values(ofUTF8: $0) }
    }

    /// The hashes of lines 1 through `last` of valid UTF-8 text (every line when it has fewer): a line's value
    /// depends only on the text from its start on and on the lines before it, so the rest is not read.
    public static func values(ofUTF8 bytes: UnsafeBufferPointer<UInt8>, through last: Int = .max) -> [Value] {
        var roller = Roller(last: last)
        defer { roller.deallocate() }
        var k = 0
        let count = bytes.count
        // The UTF-16 code units of valid UTF-8, decoded by hand: `String.utf16` costs more than the hash.
        while k < count, !roller.isDone {
            let lead = UInt32(bytes[k])
            if lead < 0x80 {
                roller.feed(UInt64(lead))
                k += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            var scalar = lead & (0xFF >> (length + 1))
            for j in 1..<length where k + j < count { scalar = scalar << 6 | UInt32(bytes[k + j] & 0x3F) }
            k += length
            if scalar >= 0x10000 {
                roller.feed(UInt64(0xD800 + ((scalar - 0x10000) >> 10)))
                roller.feed(UInt64(0xDC00 + ((scalar - 0x10000) & 0x3FF)))
            } else {
                roller.feed(UInt64(scalar))
            }
        }
        if !roller.isDone { roller.finish() }
        return roller.out
    }
}

/// The rolling state of `LineHash`: a window of the last 100 code units and, for each slot, the line that
/// starts there, whose value is emitted when its start leaves the window.
///
/// The window and line starts are fixed-size buffers rather than arrays, which would be checked for
/// uniqueness and bounds at every code unit.
private struct Roller {
    let window = UnsafeMutablePointer<UInt64>.allocate(capacity: LineHash.block)
    let starts = UnsafeMutablePointer<Int>.allocate(capacity: LineHash.block)
    var hash: UInt64 = 0
    var index = 0
    var line = 0
    var atLineStart = true
    var previousWasCR = false
    var counts: [UInt64: Int] = [:]
    var out: [LineHash.Value] = []
    let last: Int

    init(last: Int) {
        self.last = last
        window.initialize(repeating: 0, count: LineHash.block)
        starts.initialize(repeating: -1, count: LineHash.block)
    }

    func deallocate() {
        window.deallocate()
        starts.deallocate()
    }

    var isDone: Bool { out.count >= last }

    @inline(__always)
    mutating func emit() {
        let count = counts[hash, default: 0] + 1
        counts[hash] = count
        out.append(LineHash.Value(hash: hash, occurrence: count))
        starts[index] = -1
    }

    @inline(__always)
    mutating func update(_ code: UInt64) {
        let leaving = window[index]
        window[index] = code
        hash = 37 &* hash &+ code &- LineHash.firstModulus &* leaving
        index += 1
        if index == LineHash.block { index = 0 }
    }

    @inline(__always)
    mutating func feed(_ unit: UInt64) {
        var code = unit
        if code == 0x20 || code == 0x09 || (previousWasCR && code == 0x0A) {
            previousWasCR = false
            return
        }
        if code == 0x0D {
            code = 0x0A
            previousWasCR = true
        } else {
            previousWasCR = false
        }
        if starts[index] != -1 { emit() }
        if atLineStart {
            atLineStart = false
            line += 1
            starts[index] = line
        }
        if code == 0x0A { atLineStart = true }
        update(code)
    }

    mutating func finish() {
        feed(0xFFFF)
        for _ in 0..<LineHash.block where !isDone {
            if starts[index] != -1 { emit() }
            update(0)
        }
    }
}
