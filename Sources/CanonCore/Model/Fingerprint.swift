import Foundation

/// The line-independent identity of a finding, shared by SARIF (`partialFingerprints["canon/v1"]`), the JSON
/// report (`fingerprint`) and baselines.
///
/// It is built from the rule id, the path, the finding's subject, the text of the flagged line with white space
/// folded, and the finding's occurrence among findings with the same four values; never from a line number, so
/// a finding keeps its fingerprint when code above it moves it down.
public enum Fingerprint {
    /// The prefix of every fingerprint of this scheme, and its key in SARIF's `partialFingerprints`.
    public static let scheme = "canon/v1"

    /// The fingerprint of one finding: 32 hexadecimal digits (128 bits of a SHA-256).
    /// - Parameter occurrence: 1 for the first finding with these values in sorted order, 2 for the next, ...
    public static func make(rule: String, path: String, subject: String, line: some StringProtocol, occurrence: Int) -> String {
        make(rule: rule, path: path, subject: subject, folded: folded(line), occurrence: occurrence)
    }

    /// `make` of a line already folded.
    private static func make(rule: String, path: String, subject: String, folded: String, occurrence: Int) -> String {
        let key = [scheme, rule, path, subject, folded, String(occurrence)].joined(separator: "\u{0}")
        return SHA256.hex(SHA256.digest(key.utf8).prefix(16))
    }

    /// `text` with each run of white space turned into one space, and none at either end.
    public static func folded(_ text: some StringProtocol) -> String {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        // ASCII, byte by byte: its white space is tab through carriage return, and space.
        var folded: [UInt8] = []
        folded.reserveCapacity(utf8.count)
        var spaced = false
        for byte in utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                spaced = !folded.isEmpty
            } else {
                if spaced { folded.append(0x20) }
                spaced = false
                folded.append(byte)
            }
        }
        return String(decoding: folded, as: UTF8.self)
    }

    /// `findings` (sorted) with `fingerprint` and, when `lineHashes` is set, `lineHash` set from the text of their
    /// files. `source` gives a file's bytes by path; findings in files it does not know are returned unchanged.
    public static func attach(to findings: [Finding], source: (String) -> [UInt8]?, lineHashes: Bool = true) -> [Finding] {
        var lastLine: [String: Int] = [:]
        for finding in findings { lastLine[finding.location.path] = max(lastLine[finding.location.path] ?? 1, finding.location.range.line) }
        var texts: [String: SourceLines?] = [:]
        var occurrences: [[String]: Int] = [:]
        return findings.map { finding in
            let path = finding.location.path
            texts.insertIfAbsent(path, source(path).map { SourceLines($0, through: lastLine[path] ?? .max, hashing: lineHashes) })
            guard let lines = texts[path] ?? nil else { return finding }
            let line = folded(lines.line(finding.location.range.line))
            // Counted and read in one access to the table, whose keys hash four strings.
            let occurrence = { (count: inout Int) -> Int in
                count += 1
                return count
            }(&occurrences[[finding.rule, path, finding.subject, line], default: 0])
            var stamped = finding
            stamped.fingerprint = make(rule: finding.rule, path: path, subject: finding.subject, folded: line, occurrence: occurrence)
            stamped.lineHash = lineHashes ? lines.lineHash(finding.location.range.line) : nil
            return stamped
        }
    }
}

/// A file's text split into lines the way Python and GitHub count them: CRLF, CR and LF each end a line.
///
/// Only the lines up to the last one asked for are split and hashed: a line's text and hash do not depend on
/// what comes after it (beyond the hash's window), and most findings sit near the top of their files.
public struct SourceLines: Sendable {
    /// The text as valid UTF-8 (invalid sequences replaced, as `String(decoding:as:)` does).
    private let bytes: [UInt8]
    /// The start and end (before its line ending) of each line split, as byte offsets.
    private let lines: [Range<Int>]
    private let hashes: [LineHash.Value]
    /// Whether every line of the text was split and hashed.
    private let isWhole: Bool

    /// The lines of `bytes`, split and (unless `hashing` is false) hashed through line `last` (every line by
    /// default). Hashing reads every code unit up to there: most of the cost.
    public init(_ bytes: [UInt8], through last: Int = .max, hashing: Bool = true) {
        let valid = bytes.withUnsafeBufferPointer(ASCII.isASCII) ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
        var lines: [Range<Int>] = []
        let count = valid.count
        valid.withUnsafeBufferPointer { valid in
            var start = 0
            var index = 0
            // Without a CR (nearly every file), from one LF to the next with `memchr`, which reads a word or more
            // at a time where the loop below reads a byte.
            if let base = valid.baseAddress, memchr(base, 0x0D, count) == nil {
                while lines.count < last, let found = memchr(base + start, 0x0A, count - start) {
                    let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    lines.append(start..<end)
                    start = end + 1
                }
                index = count
            }
            // Byte by byte: CR and LF are ASCII, so they never sit inside a multi-byte scalar.
            while index < count, lines.count < last {
                let byte = valid[index]
                if byte == 0x0A || byte == 0x0D {
                    lines.append(start..<index)
                    index += 1
                    if byte == 0x0D, index < count, valid[index] == 0x0A { index += 1 }
                    start = index
                } else {
                    index += 1
                }
            }
            if lines.count < last { lines.append(start..<count) }
        }
        self.bytes = valid
        self.lines = lines
        self.hashes = hashing ? valid.withUnsafeBufferPointer { LineHash.values(ofUTF8: $0, through: last) } : []
        self.isWhole = hashing && hashes.count < last
    }

    /// The lines of `text`.
    public init(text: String) {
        self.init(Array(text.utf8))
    }

    /// The text of 1-based line `number`, without its line ending; empty past the end or past the last line
    /// split.
    public func line(_ number: Int) -> Substring {
        guard lines.indices.contains(number - 1) else { return "" }
        return Substring(decoding: bytes[lines[number - 1]], as: UTF8.self)
    }

    /// GitHub's `primaryLocationLineHash` of 1-based line `number`; the last line's past the end; empty when the
    /// lines were split without hashing. `number` must not be past the last line asked for at `init`.
    public func lineHash(_ number: Int) -> String {
        guard !hashes.isEmpty else { return "" }
        precondition(isWhole || number <= hashes.count, "line \(number) is past the lines hashed")
        return hashes[min(max(number, 1), hashes.count) - 1].description
    }
}
