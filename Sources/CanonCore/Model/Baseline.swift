import Foundation

/// A baseline file that cannot be used.
public struct BaselineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// What is wrong, said of the file: `cannot be read (...)`.
    public var problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        "baseline '\(file)' \(problem); write it again with 'canon baseline --output \(file)'"
    }
}

/// The findings a team has accepted for now, recorded by their line-independent fingerprints (`Fingerprint`),
/// so that a scan reports only new ones while the old ones are burned down.
///
/// On disk it is JSON with sorted keys, one entry a fingerprint, so it diffs line by line and the same
/// findings always give the same bytes: `{"findings": {"<fingerprint>": {"code", "path", "rule", "subject"}},
/// "version": 1}`. Entries carry no line numbers, which would change whenever code above a finding moves.
public struct Baseline: Sendable, Hashable, Codable {
    /// The version of the file's shape.
    public static let formatVersion = 1
    /// The file name `canon baseline` writes at the scan root when no other is given.
    public static let defaultFileName = ".canon-baseline.json"

    /// What a baseline says of one accepted finding, for people reading it and for listing stale entries.
    public struct Entry: Sendable, Hashable, Codable {
        public var rule: String
        public var code: String
        public var path: String
        public var subject: String

        public init(rule: String, code: String, path: String, subject: String) {
            self.rule = rule
            self.code = code
            self.path = path
            self.subject = subject
        }
    }

    /// An entry that no finding of the scan matched: the finding was fixed (or moved to another file).
    public struct StaleEntry: Sendable, Hashable, Codable, Comparable {
        public var fingerprint: String
        public var entry: Entry

        public init(fingerprint: String, entry: Entry) {
            self.fingerprint = fingerprint
            self.entry = entry
        }

        public static func < (lhs: StaleEntry, rhs: StaleEntry) -> Bool {
            (lhs.entry.path, lhs.entry.rule, lhs.entry.subject, lhs.fingerprint)
                < (rhs.entry.path, rhs.entry.rule, rhs.entry.subject, rhs.fingerprint)
        }
    }

    /// How a scan's findings compare with a baseline.
    public struct Comparison: Sendable {
        /// Findings the baseline does not hold, in the order given.
        public var new: [Finding]
        /// Findings the baseline holds, in the order given.
        public var baselined: [Finding]
        /// Entries no finding matched, sorted by path, rule and subject.
        public var stale: [StaleEntry]
    }

    public var version: Int
    /// The entries, by fingerprint.
    public var findings: [String: Entry]

    /// A baseline holding `findings` (those without a fingerprint, which the engine always sets, are left out).
    public init(findings: [Finding]) {
        version = Self.formatVersion
        self.findings = [:]
        for finding in findings {
            guard let fingerprint = finding.fingerprint else { continue }
            self.findings[fingerprint] = Entry(
                rule: finding.rule, code: finding.code, path: finding.location.path, subject: finding.subject)
        }
    }

    /// Reads a baseline file; the error names the file and what to do.
    public static func read(_ url: URL) throws(BaselineError) -> Baseline {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw BaselineError(file: url.path, problem: "cannot be read (\((error as NSError).localizedDescription))")
        }
        let baseline: Baseline
        do {
            baseline = try JSONDecoder().decode(Baseline.self, from: data)
        } catch {
            throw BaselineError(file: url.path, problem: "is not a Canon baseline (\(Self.describe(error)))")
        }
        guard baseline.version == formatVersion else {
            throw BaselineError(file: url.path, problem: "has version \(baseline.version), but this Canon reads version \(formatVersion)")
        }
        return baseline
    }

    /// The file's text: sorted keys, two-space indents, a final newline.
    public var text: String { JSONOutput.text(self) }

    /// Splits `findings` into new and baselined, and lists the entries no finding matched. An entry is judged
    /// stale only where `judges` says the scan could have found it again (its rule ran, its file was reported):
    /// a scan of one folder, or with some rules left out, says nothing about the rest.
    public func compare(_ findings: [Finding], judges: (Entry) -> Bool = { _ in true }) -> Comparison {
        var comparison = Comparison(new: [], baselined: [], stale: [])
        var matched: Set<String> = []
        for finding in findings {
            if let fingerprint = finding.fingerprint, self.findings[fingerprint] != nil {
                comparison.baselined.append(finding)
                matched.insert(fingerprint)
            } else {
                comparison.new.append(finding)
            }
        }
        comparison.stale = self.findings.filter { !matched.contains($0.key) && judges($0.value) }
            .map { StaleEntry(fingerprint: $0.key, entry: $0.value) }.sorted()
        return comparison
    }

    /// This baseline without `stale` entries: what `canon baseline --update` writes.
    public func removing(_ stale: [StaleEntry]) -> Baseline {
        var copy = self
        for entry in stale { copy.findings[entry.fingerprint] = nil }
        return copy
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "no '\(([key] + context.codingPath.reversed()).reversed().map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            context.debugDescription
        default:
            String(describing: error)
        }
    }
}
