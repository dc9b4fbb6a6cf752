/// GitHub code scanning's `partialFingerprints.primaryLocationLineHash`, computed exactly as GitHub's upload
/// action computes it, so that an uploaded value matches GitHub's own and alerts follow code across analyses.
///
/// A rolling hash over the next 100 non-blank UTF-16 code units from the start of each line (spaces and tabs
/// dropped, CR, LF and CRLF counted as one LF), written as lowercase hexadecimal plus `:` and the number of
/// times that value has appeared so far in the file.
public enum LineHash {
    private static let block = 100
    private static let firstModulus: UInt64 = (0..<block).reduce(UInt64(1)) { value, _ in value &* 37 }

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
        var window = [UInt64](repeating: 0, count: block)
        var starts = [Int](repeating: -1, count: block)
        var hash: UInt64 = 0
        var index = 0
        var line = 0
        var atLineStart = true
        var previousWasCR = false
        var counts: [UInt64: Int] = [:]
        var out: [Value] = []

        func emit() {
            let count = counts[hash, default: 0] + 1
            counts[hash] = count
            out.append(Value(hash: hash, occurrence: count))
            starts[index] = -1
        }
        func update(_ code: UInt64) {
            let leaving = window[index]
            window[index] = code
            hash = 37 &* hash &+ code &- firstModulus &* leaving
            index += 1
            if index == block { index = 0 }
        }
        func feed(_ unit: UInt64) {
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

        var text = text
        text.withUTF8 { bytes in
            // The UTF-16 code units of valid UTF-8, decoded by hand: `String.utf16` costs more than the hash.
            var k = 0
            while k < bytes.count {
                let lead = UInt32(bytes[k])
                if lead < 0x80 {
                    feed(UInt64(lead))
                    k += 1
                    continue
                }
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                var scalar = lead & (0xFF >> (length + 1))
                for j in 1..<length { scalar = scalar << 6 | UInt32(bytes[k + j] & 0x3F) }
                k += length
                if scalar >= 0x10000 {
                    feed(UInt64(0xD800 + ((scalar - 0x10000) >> 10)))
                    feed(UInt64(0xDC00 + ((scalar - 0x10000) & 0x3FF)))
                } else {
                    feed(UInt64(scalar))
                }
            }
        }
        feed(0xFFFF)
        for _ in 0..<block {
            if starts[index] != -1 { emit() }
            update(0)
        }
        return out
    }
}
