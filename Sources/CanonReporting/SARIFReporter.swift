import CanonCore
import Foundation

/// SARIF 2.1.0 as GitHub code scanning accepts it: one run, every rule that ran with its documentation, results
/// in the JSON report's order with paths relative to `%SRCROOT%`, related locations linked from the message,
/// and both GitHub's `primaryLocationLineHash` and Canon's own line-independent fingerprint. A finding with edits
/// in the report's `fixes` carries them as a SARIF `fix` (§3.55), regions in the same code-point columns as its
/// location. Findings that an inline suppression or the baseline hides are left out and counted in
/// `run.properties`.
public struct SARIFReporter: Reporter {
    /// The `$schema` GitHub expects.
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    /// Where the tool is documented (SARIF's `informationUri`).
    public static let informationURI = "https://github.com/canon-lint/canon"
    /// The most results GitHub shows for one run without truncating them itself.
    public static let defaultMaxResults = 5000

    /// The analysis category (`automationDetails.id`), which tells apart several analyses of one commit.
    public var category: String?
    /// The absolute scan root, written as `%SRCROOT%` in `originalUriBaseIds`; nil leaves it to the consumer.
    public var sourceRoot: URL?
    /// Past this many results, errors are kept before warnings before notes, and a notification says what was cut.
    public var maxResults: Int
    /// How many threads make and encode the results; nil: one a core.
    public var jobs: Int?

    public init(category: String? = nil, sourceRoot: URL? = nil, maxResults: Int = SARIFReporter.defaultMaxResults, jobs: Int? = nil) {
        self.category = category
        self.sourceRoot = sourceRoot
        self.maxResults = max(0, maxResults)
        self.jobs = jobs
    }

    public func render(_ report: Report) -> String { String(decoding: renderBytes(report), as: UTF8.self) }

    public func renderBytes(_ report: Report) -> [UInt8] {
        let rules = report.rules
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.description.id, $0) }, uniquingKeysWith: { first, _ in first })
        let kept = keptFindings(report.findings)
        // The fixes by rule and place: a finding hashed whole cost 13,000 instructions a lookup.
        let fixes = Dictionary(grouping: report.fixes.map { (finding: $0.key, edits: $0.value) }) { FindingSpot($0.finding) }
        var notifications = report.errors.map { error in
            Notification(
                level: "error", message: Message(text: "cannot parse: \(error.message)"),
                descriptor: Descriptor(id: "canon/parse-error"),
                locations: [Location(path: error.path, region: Region(startLine: error.line, startColumn: error.column))])
        }
        notifications += report.skipped.map { skipped in
            Notification(
                level: "note", message: Message(text: "skipped: \(skipped.reason)"), descriptor: Descriptor(id: "canon/skipped"),
                locations: [Location(path: skipped.path, region: nil)])
        }
        if kept.count < report.findings.count {
            let keptSet = Set(kept)
            let cut = Dictionary(grouping: report.findings.indices.filter { !keptSet.contains($0) }) { report.findings[$0].severity }
            let parts = [Severity.error, .warning, .note].compactMap { severity in
                cut[severity].map { "\($0.count) \(severity.rawValue)\($0.count == 1 ? "" : "s")" }
            }
            notifications.append(
                Notification(
                    level: "warning",
                    message: Message(
                        text: "\(report.findings.count - kept.count) of \(report.findings.count) results were left out "
                            + "(\(parts.joined(separator: ", "))): SARIF output keeps at most \(maxResults), errors before "
                            + "warnings before notes; the JSON report has every finding"),
                    descriptor: Descriptor(id: "canon/results-truncated"), locations: nil))
        }
        let run = Run(
            tool: Tool(
                driver: Driver(
                    name: "canon", version: report.toolVersion, semanticVersion: report.toolVersion,
                    informationUri: Self.informationURI, rules: rules.map(Self.descriptor))),
            automationDetails: category.map { AutomationDetails(id: $0.hasSuffix("/") ? $0 : $0 + "/") },
            originalUriBaseIds: [
                "%SRCROOT%": OriginalBase(
                    uri: sourceRoot.map { URL(fileURLWithPath: $0.standardizedFileURL.path, isDirectory: true).absoluteString },
                    description: Message(text: "The scan root: result paths are relative to it."))
            ],
            columnKind: "unicodeCodePoints",
            invocations: [Invocation(executionSuccessful: true, toolExecutionNotifications: notifications)],
            // Made on every core, as they are written: a result's message links and escapes every related
            // location, 60,000 instructions a finding of the corpora's, on one thread while the others waited.
            results: JSONOutput.Elements(concurrentMap(kept, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount) { position in
                let finding = report.findings[position]
                let edits = fixes[FindingSpot(finding)]?.first { $0.finding == finding }?.edits ?? []
                return Self.result(finding, ruleIndex: ruleIndex[finding.rule], edits: edits)
            }, jobs: jobs),
            properties: RunProperties(
                suppressed: report.suppressed.count, baselined: report.baselined.count, stale: report.stale.count))
        return JSONOutput.fileBytes(Log(schema: Self.schema, version: "2.1.0", runs: [run]))
    }

    /// The indices of the findings to write, in order: all of them, or the most severe `maxResults`.
    private func keptFindings(_ findings: [Finding]) -> [Int] {
        guard findings.count > maxResults else { return Array(findings.indices) }
        let bySeverity = findings.indices.sorted { lhs, rhs in
            findings[lhs].severity != findings[rhs].severity ? findings[lhs].severity > findings[rhs].severity : lhs < rhs
        }
        return bySeverity.prefix(maxResults).sorted()
    }

    private static func descriptor(_ rule: ConfiguredRule) -> ReportingDescriptor {
        let description = rule.description
        return ReportingDescriptor(
            id: description.id, name: pascalCase(description.id),
            shortDescription: Message(text: description.summary),
            fullDescription: Message(text: description.rationale),
            help: MultiformatMessage(
                text: RuleDocumentation.text(description, defaults: rule.defaultOptions),
                markdown: RuleDocumentation.markdown(description, defaults: rule.defaultOptions)),
            defaultConfiguration: Configuration(level: level(rule.severity)),
            properties: RuleProperties(
                tags: ["canon", description.family.rawValue, "maintainability"], precision: description.precision.rawValue,
                problemSeverity: rule.severity == .note ? "recommendation" : rule.severity.rawValue,
                code: description.code))
    }

    static func result(_ finding: Finding, ruleIndex: Int?, edits: [TextEdit]) -> Result {
        var text = escaped(finding.message)
        if !finding.related.isEmpty {
            let links = finding.related.enumerated().map { offset, related in
                "[\(escaped("\(related.location.path):\(related.location.range.line)"))](\(offset + 1))"
            }
            text += " (see " + links.joined(separator: ", ") + ")"
        }
        var fingerprints: [String: String] = [:]
        fingerprints["primaryLocationLineHash"] = finding.lineHash
        fingerprints[Fingerprint.scheme] = finding.fingerprint
        return Result(
            ruleId: finding.rule, ruleIndex: ruleIndex, level: level(finding.severity), message: Message(text: text),
            locations: [Location(path: finding.location.path, region: Region(finding.location.range))],
            relatedLocations: finding.related.isEmpty
                ? nil
                : finding.related.enumerated().map { offset, related in
                    RelatedLocation(
                        id: offset + 1,
                        physicalLocation: PhysicalLocation(
                            artifactLocation: ArtifactLocation(uri: uri(related.location.path)),
                            region: Region(related.location.range)),
                        message: Message(text: related.message))
                },
            partialFingerprints: fingerprints,
            properties: ResultProperties(code: finding.code, subject: finding.subject),
            fixes: edits.isEmpty ? nil : [fix(finding, edits: edits)])
    }

    /// One SARIF fix: the edits grouped by file, in order, each a deleted region (empty for an insertion) and the
    /// text put in its place.
    private static func fix(_ finding: Finding, edits: [TextEdit]) -> Fix {
        var paths: [String] = []
        for edit in edits where !paths.contains(edit.path) { paths.append(edit.path) }
        let description = finding.fix?.move.map { move in
            let renamed = move.targetName == move.name ? "" : " (as '\(move.targetName)')"
            return "Import '\(move.name)' from \(move.target)\(renamed) instead of \(move.source)"
        } ?? "Apply Canon's fix"
        return Fix(
            description: Message(text: description),
            artifactChanges: paths.map { path in
                ArtifactChange(
                    artifactLocation: ArtifactLocation(uri: uri(path)),
                    replacements: edits.filter { $0.path == path }.map { edit in
                        Replacement(
                            deletedRegion: Region(edit.range),
                            insertedContent: edit.replacement.isEmpty ? nil : ArtifactContent(text: edit.replacement))
                    })
            })
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note, .off: "note"
        }
    }

    /// `duplicate_definition` → `DuplicateDefinition`.
    static func pascalCase(_ id: String) -> String {
        id.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Plain text made safe for a SARIF message, where `[` and `]` begin links unless escaped (and a backslash
    /// before one of them is itself escaped).
    static func escaped(_ text: String) -> String {
        let bytes = Array(text.utf8)
        func isBracket(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") }
        guard bytes.contains(where: isBracket) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for (offset, byte) in bytes.enumerated() {
            let beforeBracket = offset + 1 < bytes.count && isBracket(bytes[offset + 1])
            if isBracket(byte) || (byte == UInt8(ascii: "\\") && beforeBracket) { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A relative path as a URI reference: each byte outside the unreserved set and `/` percent-encoded.
    static func uri(_ path: String) -> String {
        func isKept(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                true
            default: false
            }
        }
        guard !path.utf8.allSatisfy(isKept) else { return path }
        var out = ""
        for byte in path.utf8 {
            if isKept(byte) {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    // MARK: - The SARIF object model, the parts Canon writes.

    struct Log: Encodable {
        let schema: String
        let version: String
        let runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        let tool: Tool
        let automationDetails: AutomationDetails?
        let originalUriBaseIds: [String: OriginalBase]
        let columnKind: String
        let invocations: [Invocation]
        let results: JSONOutput.Elements<Result>
        let properties: RunProperties
    }

    /// What the results leave out: code scanning ignores SARIF `suppressions`, so suppressed and baselined
    /// findings are not results at all, only counted here.
    struct RunProperties: Encodable {
        let suppressed: Int
        let baselined: Int
        let stale: Int
    }

    struct Tool: Encodable {
        let driver: Driver
    }

    struct Driver: Encodable {
        let name: String
        let version: String
        let semanticVersion: String
        let informationUri: String
        let rules: [ReportingDescriptor]
    }

    struct AutomationDetails: Encodable {
        let id: String
    }

    struct OriginalBase: Encodable {
        let uri: String?
        let description: Message
    }

    struct Invocation: Encodable {
        let executionSuccessful: Bool
        let toolExecutionNotifications: [Notification]
    }

    struct Notification: Encodable {
        let level: String
        let message: Message
        let descriptor: Descriptor
        let locations: [Location]?
    }

    struct Descriptor: Encodable {
        let id: String
    }

    struct Message: Encodable, JSONObjectMembers {
        let text: String

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("text", text)
        }
    }

    struct MultiformatMessage: Encodable {
        let text: String
        let markdown: String
    }

    struct Configuration: Encodable {
        let level: String
    }

    struct RuleProperties: Encodable {
        let tags: [String]
        let precision: String
        let problemSeverity: String
        let code: String

        enum CodingKeys: String, CodingKey {
            case tags, precision, code
            case problemSeverity = "problem.severity"
        }
    }

    struct ReportingDescriptor: Encodable {
        let id: String
        let name: String
        let shortDescription: Message
        let fullDescription: Message
        let help: MultiformatMessage
        let defaultConfiguration: Configuration
        let properties: RuleProperties
    }

    struct Region: Encodable, JSONObjectMembers {
        let startLine: Int
        let startColumn: Int
        let endLine: Int?
        let endColumn: Int?

        init(startLine: Int, startColumn: Int) {
            self.startLine = max(1, startLine)
            self.startColumn = max(1, startColumn)
            self.endLine = nil
            self.endColumn = nil
        }

        init(_ range: SourceRange) {
            startLine = range.line
            startColumn = range.column
            endLine = range.endLine
            endColumn = range.endColumn
        }

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("endColumn", endColumn)
            object.member("endLine", endLine)
            object.member("startColumn", startColumn)
            object.member("startLine", startLine)
        }
    }

    struct ArtifactLocation: Encodable, JSONObjectMembers {
        let uri: String
        let uriBaseId = "%SRCROOT%"

        init(uri: String) {
            self.uri = uri
        }

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("uri", uri)
            object.member("uriBaseId", uriBaseId)
        }
    }

    struct PhysicalLocation: Encodable, JSONObjectMembers {
        let artifactLocation: ArtifactLocation
        let region: Region?

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("artifactLocation", artifactLocation)
            object.member("region", region)
        }
    }

    struct Location: Encodable, JSONObjectMembers {
        let physicalLocation: PhysicalLocation

        init(path: String, region: Region?) {
            physicalLocation = PhysicalLocation(artifactLocation: ArtifactLocation(uri: SARIFReporter.uri(path)), region: region)
        }

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("physicalLocation", physicalLocation)
        }
    }

    struct RelatedLocation: Encodable, JSONObjectMembers {
        let id: Int
        let physicalLocation: PhysicalLocation
        let message: Message

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("id", id)
            object.member("message", message)
            object.member("physicalLocation", physicalLocation)
        }
    }

    struct ResultProperties: Encodable, JSONObjectMembers {
        let code: String
        let subject: String

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("code", code)
            object.member("subject", subject)
        }
    }

    struct ArtifactContent: Encodable, JSONObjectMembers {
        let text: String

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("text", text)
        }
    }

    struct Replacement: Encodable, JSONObjectMembers {
        let deletedRegion: Region
        let insertedContent: ArtifactContent?

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("deletedRegion", deletedRegion)
            object.member("insertedContent", insertedContent)
        }
    }

    struct ArtifactChange: Encodable, JSONObjectMembers {
        let artifactLocation: ArtifactLocation
        let replacements: [Replacement]

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("artifactLocation", artifactLocation)
            object.member("replacements", replacements)
        }
    }

    struct Fix: Encodable, JSONObjectMembers {
        let description: Message
        let artifactChanges: [ArtifactChange]

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("artifactChanges", artifactChanges)
            object.member("description", description)
        }
    }

    /// A finding; its members are written directly (`JSONObjectMembers`), as are those of the values in it: a
    /// log holds thousands.
    struct Result: Encodable, JSONObjectMembers {
        let ruleId: String
        let ruleIndex: Int?
        let level: String
        let message: Message
        let locations: [Location]
        let relatedLocations: [RelatedLocation]?
        let partialFingerprints: [String: String]
        let properties: ResultProperties
        let fixes: [Fix]?

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("fixes", fixes)
            object.member("level", level)
            object.member("locations", locations)
            object.member("message", message)
            object.member("partialFingerprints", partialFingerprints)
            object.member("properties", properties)
            object.member("relatedLocations", relatedLocations)
            object.member("ruleId", ruleId)
            object.member("ruleIndex", ruleIndex)
        }
    }
}
