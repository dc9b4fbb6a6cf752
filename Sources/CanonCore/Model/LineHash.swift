/// GitHub code scanning's `partialFingerprints.primaryLocationLineHash`, computed exactly as GitHub's upload
/// action computes it, so that an uploaded value matches GitHub's own and alerts follow code across analyses.
///
/// A rolling hash over the next 100 non-blank UTF-16 code units from the start of each line (spaces and tabs
/// dropped, CR, LF and CRLF counted as one LF), written as lowercase hexadecimal plus `:` and the number of
/// times that value has appeared so far in the file.
public enum LineHash {
    fileprivate static let block = 100
    /// 37 to the power 100, modulo 2^64 (the test vectors longer than 100 code units check it): a literal, since
    /// a computed static is reached through a one-time-initialisation check at every code unit.
    fileprivate static let firstModulus: UInt64 = 0xe59c_d09a_331c_db71

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
        var roller = Roller()
        defer { roller.deallocate() }
        var out: [Value] = []
        var k = 0
        let count = bytes.count
        // The UTF-16 code units of valid UTF-8, decoded by hand: `String.utf16` costs more than the hash.
        while k < count, out.count < last {
            let lead = UInt32(bytes[k])
            if lead < 0x80 {
                if lead > 0x20 {
                    roller.keepVisible(UInt64(lead), into: &out)
                } else if lead == 0x20 || lead == 0x09 {
                    roller.previousWasCR = false
                } else {
                    roller.feed(UInt64(lead), into: &out)
                }
                k += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            var scalar = lead & (0xFF >> (length + 1))
            for j in 1..<length where k + j < count { scalar = scalar << 6 | UInt32(bytes[k + j] & 0x3F) }
            k += length
            if scalar >= 0x10000 {
                roller.feed(UInt64(0xD800 + ((scalar - 0x10000) >> 10)), into: &out)
                roller.feed(UInt64(0xDC00 + ((scalar - 0x10000) & 0x3FF)), into: &out)
            } else {
                roller.feed(UInt64(scalar), into: &out)
            }
        }
        if out.count < last {
            // The end of the text counts as one more code unit; then the window rolls on over zeros until every
            // line start in it has left.
            roller.feed(0xFFFF, into: &out)
            for _ in 0..<block where out.count < last && roller.isWaiting {
                roller.emitIfDue(into: &out)
                roller.update(0)
            }
        }
        return out
    }
}

/// The rolling state of `LineHash`: the last 100 code units, the line starts whose window has not yet been
/// filled, and the occurrences so far. The values go to an array the caller holds, so that the state is a few
/// words the loop keeps in registers.
///
/// The window is a ring of 128 slots (a mask, not a wrap-around branch), holding unit `k` at `k & 127`: the
/// unit leaving as unit `k` comes in, `k - 100`, is in a slot not yet reused. Line starts wait in a queue of
/// unit numbers, so that each unit asks one comparison whether a line's window is complete, rather than reading
/// a flag per slot. Both are fixed-size buffers rather than arrays, which would be checked for uniqueness and
/// bounds at every code unit.
private struct Roller {
    static let ring = 128
    let window = UnsafeMutablePointer<UInt64>.allocate(capacity: Roller.ring)
    /// Unit numbers of line starts, oldest at `head`: at most 100 wait at once, since a start leaves the queue
    /// when the unit 100 after it comes in.
    let starts = UnsafeMutablePointer<Int>.allocate(capacity: Roller.ring)
    var head = 0
    var tail = 0
    /// The unit number at which the oldest waiting line's window is complete (`Int.max` when none waits).
    var nextDue = Int.max
    var hash: UInt64 = 0
    /// How many units have come in.
    var units = 0
    var atLineStart = true
    var previousWasCR = false
    var counts = Occurrences()

    init() {
        window.initialize(repeating: 0, count: Roller.ring)
        starts.initialize(repeating: 0, count: Roller.ring)
    }

    func deallocate() {
        window.deallocate()
        starts.deallocate()
    }

    /// Whether a line waits for its window.
    var isWaiting: Bool { head < tail }

    @inline(__always)
    mutating func emitIfDue(into out: inout [LineHash.Value]) {
        if units == nextDue { emit(into: &out) }
    }

    /// Emits the oldest waiting line, whose window is complete: once a line, so kept out of the unit loop.
    @inline(never)
    mutating func emit(into out: inout [LineHash.Value]) {
        out.append(LineHash.Value(hash: hash, occurrence: counts.increment(hash)))
        head += 1
        nextDue = head < tail ? starts[head & (Roller.ring - 1)] + LineHash.block : Int.max
    }

    @inline(__always)
    mutating func markLineStart() {
        starts[tail & (Roller.ring - 1)] = units
        if head == tail { nextDue = units + LineHash.block }
        tail += 1
    }

    @inline(__always)
    mutating func update(_ code: UInt64) {
        let leaving = window[(units &- LineHash.block) & (Roller.ring - 1)]
        window[units & (Roller.ring - 1)] = code
        hash = 37 &* hash &+ code &- LineHash.firstModulus &* leaving
        units += 1
    }

    /// Takes in a unit that is neither blank nor a line ending: most units, so the loop calls this inline.
    @inline(__always)
    mutating func keepVisible(_ unit: UInt64, into out: inout [LineHash.Value]) {
        previousWasCR = false
        emitIfDue(into: &out)
        if atLineStart {
            atLineStart = false
            markLineStart()
        }
        update(unit)
    }

    /// Takes in any unit.
    mutating func feed(_ unit: UInt64, into out: inout [LineHash.Value]) {
        if unit > 0x20 { return keepVisible(unit, into: &out) }
        if unit == 0x20 || unit == 0x09 || (previousWasCR && unit == 0x0A) {
            previousWasCR = false
            return
        }
        previousWasCR = unit == 0x0D
        emitIfDue(into: &out)
        if atLineStart {
            atLineStart = false
            markLineStart()
        }
        let code = previousWasCR ? 0x0A : unit
        if code == 0x0A { atLineStart = true }
        update(code)
    }
}

/// How many times each line value has appeared so far: an open-addressing table indexed by the value itself
/// (already a hash, mixed once), since a dictionary's SipHash of every line cost more than the line's rolling.
private struct Occurrences {
    private var keys: [UInt64] = Array(repeating: 0, count: 64)
    private var counts: [Int] = Array(repeating: 0, count: 64)
    private var filled = 0
    private var shift = 58

    /// Counts one more appearance of `key` and returns how many there have been.
    mutating func increment(_ key: UInt64) -> Int {
        if 2 * (filled + 1) > keys.count { grow() }
        let slot = probe(for: key)
        if counts[slot] == 0 {
            keys[slot] = key
            filled += 1
        }
        counts[slot] += 1
        return counts[slot]
    }

    /// The slot holding `key`, or the empty one where it goes: linear probing from its hash's slot.
    private func probe(for key: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
        while counts[slot] != 0, keys[slot] != key { slot = (slot + 1) & (keys.count - 1) }
        return slot
    }

    private mutating func grow() {
        let (oldKeys, oldCounts) = (keys, counts)
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        counts = Array(repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        for (key, count) in zip(oldKeys, oldCounts) where count != 0 {
            let slot = probe(for: key)
            keys[slot] = key
            counts[slot] = count
        }
    }
}
