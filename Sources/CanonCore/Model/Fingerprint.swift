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
        let key = [scheme, rule, path, subject, folded(line), String(occurrence)].joined(separator: "\u{0}")
        return String(SHA256.hexDigest(Array(key.utf8)).prefix(32))
    }

    /// `text` with each run of white space turned into one space, and none at either end.
    public static func folded(_ text: some StringProtocol) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// `findings` (sorted) with `fingerprint` and `lineHash` set from the text of their files. `source` gives a
    /// file's bytes by path; findings in files it does not know are returned unchanged.
    public static func attach(to findings: [Finding], source: (String) -> [UInt8]?) -> [Finding] {
        var texts: [String: SourceLines?] = [:]
        var occurrences: [[String]: Int] = [:]
        return findings.map { finding in
            let path = finding.location.path
            if texts[path] == nil { texts[path] = .some(source(path).map(SourceLines.init)) }
            guard let lines = texts[path] ?? nil else { return finding }
            let line = lines.line(finding.location.range.line)
            let key = [finding.rule, path, finding.subject, folded(line)]
            occurrences[key, default: 0] += 1
            var stamped = finding
            stamped.fingerprint = make(
                rule: finding.rule, path: path, subject: finding.subject, line: line, occurrence: occurrences[key]!)
            stamped.lineHash = lines.lineHash(finding.location.range.line)
            return stamped
        }
    }
}

/// A file's text split into lines the way Python and GitHub count them: CRLF, CR and LF each end a line.
public struct SourceLines: Sendable {
    public let text: String
    private let lines: [Substring]
    private let hashes: [LineHash.Value]

    public init(_ bytes: [UInt8]) {
        self.init(text: String(decoding: bytes, as: UTF8.self))
    }

    public init(text: String) {
        self.text = text
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        // Byte by byte: CR and LF are ASCII, so they never sit inside a multi-byte scalar.
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(text[start..<index])
                index = utf8.index(after: index)
                if byte == 0x0D, index < utf8.endIndex, utf8[index] == 0x0A { index = utf8.index(after: index) }
                start = index
            } else {
                index = utf8.index(after: index)
            }
        }
        lines.append(text[start..<utf8.endIndex])
        self.lines = lines
        self.hashes = LineHash.values(of: text)
    }

    /// The text of 1-based line `number`, without its line ending; empty past the end.
    public func line(_ number: Int) -> Substring {
        lines.indices.contains(number - 1) ? lines[number - 1] : ""
    }

    /// GitHub's `primaryLocationLineHash` of 1-based line `number`; the last line's past the end.
    public func lineHash(_ number: Int) -> String {
        hashes[min(max(number, 1), hashes.count) - 1].description
    }
}
