import CanonCore
import CanonEngine
import CanonPolicy

/// Runs a rule's example: strips the `↓` markers, scans the files in memory with only that rule enabled (and
/// the example's options), and compares the findings' start positions with the markers.
public struct ExampleRunner: Sendable {
    public struct Outcome: Sendable, Equatable {
        /// Where the markers stood, as `path:line:column`, sorted.
        public var expected: [String]
        /// Where findings start, as `path:line:column`, sorted.
        public var actual: [String]
        public var findings: [Finding]
        public var errors: [FileError]
    }

    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    public func run(_ example: Example, rule: String) throws -> Outcome {
        var expected: [String] = []
        var sources: [(path: String, contents: [UInt8])] = []
        for file in example.files {
            let (text, markers) = Self.stripMarkers(file.source)
            expected += markers.map { "\(file.path):\($0.line):\($0.column)" }
            sources.append((file.path, Array(text.utf8)))
        }
        // The example's policy is one file, named as a repository's policy is; markers in its `policy:` and
        // `options:` text expect findings about the policy itself.
        let policyFile = PolicyLoader.repositoryFileName
        let (policyText, policyMarkers) = Self.stripMarkers(example.policy.map { $0 + "\n" } ?? "")
        let policyLines = policyText.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let (optionsText, optionsMarkers) = Self.stripMarkers(example.options ?? "")
        expected += policyMarkers.map { "\(policyFile):\($0.line):\($0.column)" }
        expected += optionsMarkers.map { "\(policyFile):\(policyLines + 3 + $0.line):\($0.column + 4)" }
        // A rule that reviews other rules' findings runs beside the rules enabled by default, and only its own
        // findings are compared with the markers.
        let reviews = registry.detector(for: rule)?.reviewsFindings ?? false
        let result = try scan(sources, policy: policyText, rules: [rule: optionsText], file: policyFile, selectOnly: !reviews)
        let own = result.findings.filter { $0.rule == rule || $0.code == rule }
        let actual = own.map { "\($0.location.path):\($0.location.range.line):\($0.location.range.column)" }
        return Outcome(expected: expected.sorted(), actual: actual.sorted(), findings: own, errors: result.errors)
    }

    /// Scans files in memory with only `rules` enabled, each at warning with its options (the YAML that would
    /// stand under `rules.<id>`), under a policy made of `policy`'s top-level sections.
    public func scan(
        _ sources: [(path: String, contents: [UInt8])], policy: String = "", rules: [String: String], file: String = "<test policy>",
        selectOnly: Bool = true
    ) throws -> ScanResult {
        var text = policy.isEmpty || policy.hasSuffix("\n") ? policy : policy + "\n"
        text += "rules:\n"
        for (rule, options) in rules.sorted(by: { $0.key < $1.key }) {
            text += "  \(rule):\n    severity: warning\n"
            for line in options.split(separator: "\n") { text += "    \(line)\n" }
        }
        let loaded = try PolicyLoader(registry: registry).load(text: text, file: file)
        let configured = try loaded.configuredRules(registry: registry, select: selectOnly ? Array(rules.keys) : nil)
        return Engine.scan(sources: sources, rules: configured, settings: loaded.settings, frontEnds: registry.frontEnds)
    }

    /// The source without markers, and each marker's 1-based line and column (in code points).
    static func stripMarkers(_ source: String) -> (String, [(line: Int, column: Int)]) {
        var text = ""
        var markers: [(line: Int, column: Int)] = []
        var line = 1
        var column = 1
        for scalar in source.unicodeScalars {
            if Character(scalar) == Example.marker {
                markers.append((line, column))
                continue
            }
            text.unicodeScalars.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (text, markers)
    }
}
