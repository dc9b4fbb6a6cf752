import CanonCore

/// GitHub Actions workflow commands: one `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
/// a finding (`::error`, `::notice` by severity), so findings show as annotations on the pull request's diff.
/// Paths are relative to the scan root, which should be the repository root.
public struct GitHubReporter: Reporter {
    /// Leaves out the summary line.
    public var quiet: Bool

    public init(quiet: Bool = false) {
        self.quiet = quiet
    }

    public func render(_ report: Report) -> String {
        var out = ""
        for finding in report.findings {
            let range = finding.location.range
            out += Self.command(
                command(for: finding.severity),
                properties: [
                    ("file", finding.location.path), ("line", String(range.line)), ("col", String(range.column)),
                    ("endLine", String(range.endLine)), ("endColumn", String(range.endColumn)),
                    ("title", "\(finding.rule) (\(finding.code))"),
                ],
                message: finding.message)
        }
        for error in report.errors {
            out += Self.command(
                "error",
                properties: [
                    ("file", error.path), ("line", String(error.line)), ("col", String(error.column)),
                    ("title", "canon: cannot parse"),
                ],
                message: error.message)
        }
        if !quiet { out += TextReporter().summary(report) + "\n" }
        return out
    }

    private func command(for severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note, .off: "notice"
        }
    }

    /// One workflow command line, with GitHub's escaping of the message and of property values.
    static func command(_ name: String, properties: [(String, String)], message: String) -> String {
        let list = properties.map { "\($0.0)=\(escape($0.1, isProperty: true))" }.joined(separator: ",")
        return "::\(name) \(list)::\(escape(message, isProperty: false))\n"
    }

    /// GitHub's escaping: `%`, CR and LF always, and `:` and `,` in property values.
    public static func escape(_ text: String, isProperty: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where isProperty: out += "%3A"
            case "," where isProperty: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
