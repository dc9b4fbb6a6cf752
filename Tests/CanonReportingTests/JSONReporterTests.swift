import Canon
@testable import CanonReporting
import Foundation
import Testing

/// The JSON report writes its findings member by member (`JSONObjectMembers`); its bytes must be those of the
/// report's `Encodable` encoding, as Foundation's `JSONEncoder` writes it with the report's options.
@Suite struct JSONReporterTests {
    static func finding(_ n: Int) -> Finding {
        let related = (0..<(n % 3)).map {
            RelatedLocation(location: SourceLocation(path: "pkg/o\($0).py", range: .at(line: $0 + 1, column: 2)), message: "also \"here\"\n")
        }
        return Finding(
            rule: "rule_\(n % 4)", code: "R\(n % 4)", severity: n % 2 == 0 ? .warning : .error,
            location: SourceLocation(path: "pkg/m\(n % 5).py", range: SourceRange(line: n + 1, column: 1, endLine: n + 2, endColumn: 9)),
            message: "message \(n) with a slash / and é", subject: "pkg.m\(n % 5).Name\(n)", related: related,
            fingerprint: n % 4 == 3 ? nil : "fp\(n)", fix: n % 3 == 0 ? .unfixable(reason: "'m.X' reads \\ it") : nil)
    }

    @Test(arguments: [false, true])
    func theReportIsItsEncodableEncoding(showSuppressed: Bool) throws {
        let findings = (0..<150).map(Self.finding)
        let report = Report(
            toolVersion: CanonVersion.current, fileCount: 7, findings: Array(findings.prefix(100)),
            errors: [FileError(path: "bad.py", line: 3, message: "invalid syntax")], skipped: [SkippedFile(path: "big.py", reason: "too large")],
            suppressed: Array(findings[100..<130]), baselined: Array(findings[130...]), usesBaseline: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let document = JSONReporter.Document(report, showSuppressed: showSuppressed, jobs: 2)
        let expected = String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        #expect(JSONReporter(showSuppressed: showSuppressed, jobs: 2).render(report) == expected)
        #expect(JSONReporter(showSuppressed: showSuppressed, jobs: 2).renderBytes(report) == Array(expected.utf8))
    }

    /// Every format gives the same text as bytes as it renders: the command-line tool writes the bytes.
    @Test func eachFormatsBytesAreItsText() {
        let report = Report(
            toolVersion: CanonVersion.current, fileCount: 3, findings: (0..<20).map(Self.finding),
            errors: [FileError(path: "bad.py", line: 3, message: "invalid syntax")], skipped: [])
        let reporters: [any Reporter] = [JSONReporter(), SARIFReporter(), TextReporter(useColor: false), GitHubReporter()]
        for reporter in reporters {
            let bytes = reporter.renderBytes(report)
            #expect(!bytes.isEmpty)
            #expect(bytes == Array(reporter.render(report).utf8))
        }
    }

    /// The SARIF log's results are written member by member too, with every optional part present and not:
    /// related places, fixes with insertions and deletions, a missing rule index, line hash or fingerprint.
    @Test func sarifResultsAreTheirEncodableEncoding() throws {
        let results = (0..<130).map { n in
            var finding = Self.finding(n)
            finding.lineHash = n % 5 == 0 ? nil : "hash\(n):1"
            let edits = (0..<(n % 3)).map {
                TextEdit(path: "pkg/m\(n % 5).py", range: .at(line: n + 1, column: $0 + 1), replacement: $0 == 0 ? "" : "X\n")
            }
            return SARIFReporter.result(finding, ruleIndex: n % 7 == 0 ? nil : n % 4, edits: edits)
        }
        for pretty in [true, false] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
            let expected = String(decoding: try encoder.encode(results), as: UTF8.self)
            let written = String(decoding: try JSONOutput.encode(JSONOutput.Elements(results, jobs: 2), pretty: pretty), as: UTF8.self)
            #expect(written == expected, "pretty: \(pretty)")
        }
    }
}
