import CanonCore

/// `path:line:col: severity: message [rule_id]`, one finding a line, then per-file errors and a summary.
public struct TextReporter: Reporter {
    public var useColor: Bool
    /// Adds a count of findings per rule.
    public var statistics: Bool
    /// Leaves out the summary line and notices.
    public var quiet: Bool

    public init(useColor: Bool = false, statistics: Bool = false, quiet: Bool = false) {
        self.useColor = useColor
        self.statistics = statistics
        self.quiet = quiet
    }

    public func render(_ report: Report) -> String {
        var out = ""
        for finding in report.findings {
            let location = finding.location
            out += bold("\(location.path):\(location.range.line):\(location.range.column):")
            out += " \(colored(finding.severity)): \(finding.message) [\(finding.rule)]\n"
        }
        for error in report.errors {
            out += bold("\(error.path):\(error.line):\(error.column):")
            out += " \(paint("error", code: "31")): cannot parse: \(error.message) [syntax]\n"
        }
        for stale in report.stale where !quiet {
            out += bold("\(stale.entry.path):")
            out += " \(paint("stale", code: "35")): baseline entry \(stale.fingerprint) (\(stale.entry.rule), \(stale.entry.subject)) matches no finding; "
            out += "drop it with 'canon baseline --update' [baseline]\n"
        }
        if statistics && !report.findings.isEmpty {
            var counts: [String: (code: String, count: Int)] = [:]
            for finding in report.findings { counts[finding.rule, default: (finding.code, 0)].count += 1 }
            let rows = counts.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            let width = String(rows.first?.value.count ?? 0).count
            for (rule, entry) in rows {
                let number = String(entry.count)
                out += String(repeating: " ", count: width - number.count) + number + "\t\(entry.code)\t\(rule)\n"
            }
        }
        if !quiet {
            out += summary(report) + "\n"
        }
        return out
    }

    /// "Scanned 12 files: 3 findings (1 error, 2 warnings), 1 file not parsed."
    public func summary(_ report: Report) -> String {
        var bySeverity: [Severity: Int] = [:]
        for finding in report.findings { bySeverity[finding.severity, default: 0] += 1 }
        var text = "Scanned \(Self.count(report.fileCount, "file")): "
        if report.findings.isEmpty {
            text += "no findings"
        } else {
            let parts = [Severity.error, .warning, .note].compactMap { severity in
                bySeverity[severity].map { Self.count($0, severity.rawValue) }
            }
            text += Self.count(report.findings.count, "finding") + " (" + parts.joined(separator: ", ") + ")"
        }
        if !report.errors.isEmpty { text += ", \(Self.count(report.errors.count, "file")) not parsed" }
        if !report.skipped.isEmpty { text += ", \(Self.count(report.skipped.count, "file")) skipped" }
        if !report.suppressed.isEmpty { text += ", \(report.suppressed.count) suppressed inline" }
        if report.usesBaseline || !report.baselined.isEmpty { text += ", \(report.baselined.count) baselined" }
        if !report.stale.isEmpty { text += ", \(report.stale.count) stale baseline \(report.stale.count == 1 ? "entry" : "entries")" }
        return text + "."
    }

    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    private func colored(_ severity: Severity) -> String {
        switch severity {
        case .error: paint("error", code: "31")
        case .warning: paint("warning", code: "33")
        case .note: paint("note", code: "36")
        case .off: "off"
        }
    }

    private func bold(_ text: String) -> String { paint(text, code: "1") }

    private func paint(_ text: String, code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
