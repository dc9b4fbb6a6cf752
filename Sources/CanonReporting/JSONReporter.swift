import CanonCore
import Foundation

/// The versioned JSON report: one shape, findings sorted by path, line, column and rule.
public struct JSONReporter: Reporter {
    /// The version of the JSON shape; fields are only ever added within a version.
    public static let formatVersion = 1

    /// Whether findings that a suppression or the baseline hides are listed too, each with its `status`.
    public var showSuppressed: Bool
    /// How many threads encode the findings; nil: one a core.
    public var jobs: Int?

    public init(showSuppressed: Bool = false, jobs: Int? = nil) {
        self.showSuppressed = showSuppressed
        self.jobs = jobs
    }

    /// The report object, for embedding in other JSON (the server's `scan` answer).
    public struct Document: Encodable, Sendable {
        struct Tool: Encodable {
            let name: String
            let version: String
        }

        struct Summary: Encodable {
            let files: Int
            let findings: Int
            let errors: Int
            let skipped: Int
            let suppressed: Int
            let baselined: Int
            let stale: Int
        }

        struct Stale: Encodable {
            let fingerprint: String
            let rule: String
            let code: String
            let path: String
            let subject: String
        }

        struct Related: Encodable, JSONObjectMembers {
            let path: String
            let line: Int
            let column: Int
            let endLine: Int
            let endColumn: Int
            let message: String

            func writeMembers(to object: inout JSONObjectWriter) {
                object.member("column", column)
                object.member("endColumn", endColumn)
                object.member("endLine", endLine)
                object.member("line", line)
                object.member("message", message)
                object.member("path", path)
            }
        }

        /// A finding; its members are written directly (`JSONObjectMembers`), a report holding thousands.
        struct Item: Encodable, JSONObjectMembers {
            let rule: String
            let code: String
            let severity: String
            let path: String
            let line: Int
            let column: Int
            let endLine: Int
            let endColumn: Int
            let message: String
            let subject: String
            let related: [Related]
            let fingerprint: String?
            /// Whether `canon fix` can fix it.
            let fixable: Bool
            /// Why it cannot be fixed, for findings of rules that offer fixes.
            let unfixableReason: String?
            /// `new`, `suppressed` or `baselined`: written when a baseline is in use or hidden findings are shown.
            let status: String?

            func writeMembers(to object: inout JSONObjectWriter) {
                object.member("code", code)
                object.member("column", column)
                object.member("endColumn", endColumn)
                object.member("endLine", endLine)
                object.member("fingerprint", fingerprint)
                object.member("fixable", fixable)
                object.member("line", line)
                object.member("message", message)
                object.member("path", path)
                object.member("related", related)
                object.member("rule", rule)
                object.member("severity", severity)
                object.member("status", status)
                object.member("subject", subject)
                object.member("unfixableReason", unfixableReason)
            }
        }

        let version: Int
        let tool: Tool
        let summary: Summary
        let findings: JSONOutput.Elements<Item>
        let errors: [FileError]
        let skipped: [SkippedFile]
        let stale: [Stale]

        /// The report's document; `jobs` threads encode its findings (nil: one a core).
        public init(_ report: Report, showSuppressed: Bool = false, jobs: Int? = nil) {
            version = JSONReporter.formatVersion
            tool = Tool(name: "canon", version: report.toolVersion)
            summary = Summary(
                files: report.fileCount, findings: report.findings.count, errors: report.errors.count,
                skipped: report.skipped.count, suppressed: report.suppressed.count, baselined: report.baselined.count,
                stale: report.stale.count)
            let marked = showSuppressed || report.usesBaseline
            var listed = report.findings.map { ($0, marked ? "new" : nil as String?) }
            if showSuppressed {
                listed += report.suppressed.map { ($0, "suppressed") } + report.baselined.map { ($0, "baselined") }
                listed.sort { $0.0 < $1.0 }
            }
            findings = JSONOutput.Elements(listed.map { finding, status in
                let range = finding.location.range
                return Document.Item(
                    rule: finding.rule, code: finding.code, severity: finding.severity.rawValue,
                    path: finding.location.path, line: range.line, column: range.column, endLine: range.endLine,
                    endColumn: range.endColumn, message: finding.message, subject: finding.subject,
                    related: finding.related.map {
                        Document.Related(
                            path: $0.location.path, line: $0.location.range.line, column: $0.location.range.column,
                            endLine: $0.location.range.endLine, endColumn: $0.location.range.endColumn,
                            message: $0.message)
                    }, fingerprint: finding.fingerprint, fixable: finding.isFixable, unfixableReason: finding.fix?.reason,
                    status: status)
            }, jobs: jobs)
            stale = report.stale.map {
                Stale(fingerprint: $0.fingerprint, rule: $0.entry.rule, code: $0.entry.code, path: $0.entry.path, subject: $0.entry.subject)
            }
            errors = report.errors
            skipped = report.skipped
        }
    }

    public func render(_ report: Report) -> String { String(decoding: renderBytes(report), as: UTF8.self) }

    public func renderBytes(_ report: Report) -> [UInt8] {
        JSONOutput.fileBytes(Document(report, showSuppressed: showSuppressed, jobs: jobs))
    }

    /// Encodes with sorted keys and no escaped slashes, ending in a newline.
    public static func encode<T: Encodable>(_ value: T) -> String { JSONOutput.text(value) }
}
