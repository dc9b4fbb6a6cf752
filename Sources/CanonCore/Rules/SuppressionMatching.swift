/// How inline suppressions (`# canon: ignore[...]`, `// canon: ignore[...]`) silence findings, whatever the
/// language: the front ends turn the comments into `SuppressionFact`s, and the engine applies them here after
/// every detector has run.
///
/// A line suppression silences findings that start on its own line or on the line after it; a file-level one
/// silences findings anywhere in its file. It silences the rules it names (by id or code), or every rule when
/// it names none. A finding about a suppression itself (at the suppression's own range, as `unused_suppression`
/// reports) is never silenced by that suppression, so a suppression cannot hide its own problems.
public enum SuppressionMatching {
    /// The suppressions of each file, by path.
    public typealias Table = [String: [SuppressionFact]]

    /// The suppressions of `files`, by path, leaving out files that have none.
    public static func table(_ files: [FileFacts]) -> Table {
        var table: Table = [:]
        for file in files where !file.suppressions.isEmpty { table[file.path] = file.suppressions }
        return table
    }

    /// Whether `suppression` names the rule with this id and code (a bare suppression names every rule).
    public static func names(_ suppression: SuppressionFact, rule: String, code: String) -> Bool {
        suppression.rules.isEmpty || suppression.rules.contains { $0 == rule || $0 == code }
    }

    /// Whether `suppression`, written in the file of `finding`, silences it.
    public static func silences(_ suppression: SuppressionFact, _ finding: Finding) -> Bool {
        guard names(suppression, rule: finding.rule, code: finding.code),
            finding.location.range != suppression.range
        else { return false }
        if suppression.isFileLevel { return true }
        let line = finding.location.range.line
        return suppression.range.line == line || suppression.range.line == line - 1
    }

    /// Splits `findings` into those no suppression silences and those some suppression does, keeping order.
    public static func apply(_ findings: [Finding], suppressions: Table) -> (kept: [Finding], suppressed: [Finding]) {
        guard !suppressions.isEmpty else { return (findings, []) }
        var kept: [Finding] = []
        var suppressed: [Finding] = []
        for finding in findings {
            let silenced = suppressions[finding.location.path]?.contains { silences($0, finding) } ?? false
            if silenced { suppressed.append(finding) } else { kept.append(finding) }
        }
        return (kept, suppressed)
    }
}
