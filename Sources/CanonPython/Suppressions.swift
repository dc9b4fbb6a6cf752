import CanonCore
import Foundation

/// Parses `# canon: ignore[...]` and `# canon: ignore-file[...]` comments.
enum Suppressions {
    /// The suppression a comment carries, if any. The directive may follow other text in the same comment
    /// (`# noqa  # canon: ignore[rule]`); the range runs from its `#` to the end of the comment.
    static func parse(_ comment: (start: Int, end: Int), source: SourceBuffer) -> SuppressionFact? {
        let bytes = source.bytes
        var k = comment.start
        while k < comment.end {
            if bytes[k] == UInt8(ascii: "#"), let fact = directive(at: k, end: comment.end, source: source) {
                return fact
            }
            k += 1
        }
        return nil
    }

    private static func directive(at hash: Int, end: Int, source: SourceBuffer) -> SuppressionFact? {
        // Nearly no comment is a directive: its bytes say so before any text is made of it.
        var start = hash + 1
        while start < end && (source.bytes[start] == 0x20 || source.bytes[start] == 0x09) { start += 1 }
        let marker: StaticString = "canon:"
        guard end - start >= marker.utf8CodeUnitCount, source.bytes(at: start, spell: marker) else { return nil }
        var trimmedEnd = end
        while trimmedEnd > hash && (source.bytes[trimmedEnd - 1] == 0x20 || source.bytes[trimmedEnd - 1] == 0x09) {
            trimmedEnd -= 1
        }
        let text = source.text(hash + 1, trimmedEnd)
        var rest = Substring(text).drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("canon:") else { return nil }
        rest = rest.dropFirst("canon:".count).drop { $0 == " " || $0 == "\t" }
        let isFileLevel: Bool
        if rest.hasPrefix("ignore-file") {
            isFileLevel = true
            rest = rest.dropFirst("ignore-file".count)
        } else if rest.hasPrefix("ignore") {
            isFileLevel = false
            rest = rest.dropFirst("ignore".count)
        } else {
            return nil
        }
        if let next = rest.first, next != "[" && next != " " && next != "\t" && next != "-" { return nil }
        var rules: [String] = []
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            rules = rest[rest.index(after: rest.startIndex)..<close]
                .split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            rest = rest[rest.index(after: close)...]
        }
        var reason: String?
        if let dashes = rest.range(of: "--") {
            let text = rest[dashes.upperBound...].trimmingCharacters(in: .whitespaces)
            reason = text.isEmpty ? nil : text
        }
        return SuppressionFact(
            rules: rules, reason: reason, isFileLevel: isFileLevel, range: source.range(from: hash, to: trimmedEnd))
    }
}
