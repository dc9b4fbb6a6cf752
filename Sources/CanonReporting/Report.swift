import CanonCore

/// Everything a reporter renders: the result of one scan, already sorted.
public struct Report: Sendable {
    public var toolVersion: String
    public var fileCount: Int
    public var findings: [Finding]
    public var errors: [FileError]
    public var skipped: [SkippedFile]
    /// The rules that ran, with their configured severities, for formats that describe them (SARIF).
    public var rules: [ConfiguredRule]
    /// Findings an inline suppression silenced; counted in every format, listed only where asked.
    public var suppressed: [Finding]
    /// Findings the baseline holds; counted in every format, listed only where asked.
    public var baselined: [Finding]
    /// Baseline entries no finding matched any more.
    public var stale: [Baseline.StaleEntry]
    /// Whether a baseline was in use, so new findings are marked as new.
    public var usesBaseline: Bool
    /// The text edits that fix each fixable finding on its own, for formats that carry fixes (SARIF `fixes`);
    /// a finding without an entry is written without a fix. Empty unless the caller worked them out.
    public var fixes: [Finding: [TextEdit]]

    public init(
        toolVersion: String, fileCount: Int, findings: [Finding], errors: [FileError], skipped: [SkippedFile],
        rules: [ConfiguredRule] = [], suppressed: [Finding] = [], baselined: [Finding] = [],
        stale: [Baseline.StaleEntry] = [], usesBaseline: Bool = false, fixes: [Finding: [TextEdit]] = [:]
    ) {
        self.fixes = fixes
        self.suppressed = suppressed.sortedIfNeeded()
        self.baselined = baselined.sortedIfNeeded()
        self.stale = stale.sorted()
        self.usesBaseline = usesBaseline
        self.toolVersion = toolVersion
        self.rules = rules.sorted { $0.description.id < $1.description.id }
        self.fileCount = fileCount
        self.findings = findings.sortedIfNeeded()
        self.errors = errors.sorted()
        self.skipped = skipped.sorted()
    }

    /// The same report with every path (findings, related places, fixes' edits, errors, skipped files) prefixed by
    /// `folder`, as build logs and editors want absolute paths.
    public func withPaths(under folder: String) -> Report {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        func move(_ location: SourceLocation) -> SourceLocation {
            SourceLocation(path: base + location.path, range: location.range)
        }
        func moved(_ finding: Finding) -> Finding {
            var finding = finding
            finding.location = move(finding.location)
            finding.related = finding.related.map { RelatedLocation(location: move($0.location), message: $0.message) }
            return finding
        }
        var report = self
        report.findings = findings.map(moved)
        report.fixes = Dictionary(
            fixes.map { finding, edits in
                (moved(finding), edits.map { TextEdit(path: base + $0.path, range: $0.range, replacement: $0.replacement) })
            },
            uniquingKeysWith: { first, _ in first })
        report.errors = errors.map { FileError(path: base + $0.path, line: $0.line, column: $0.column, message: $0.message) }
        report.skipped = skipped.map { SkippedFile(path: base + $0.path, reason: $0.reason) }
        return report
    }
}

/// Turns a report into bytes in one format.
public protocol Reporter: Sendable {
    func render(_ report: Report) -> String
    /// `render`'s text as UTF-8 bytes; formats written as bytes (JSON, SARIF) give them without a `String`.
    func renderBytes(_ report: Report) -> [UInt8]
}

extension Reporter {
    public func renderBytes(_ report: Report) -> [UInt8] { Array(render(report).utf8) }
}
