/// The family a rule belongs to; its code prefix comes from here.
public struct RuleFamily: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    /// The code prefix, such as `DUP`.
    public var codePrefix: String

    public init(rawValue: String) {
        self.init(rawValue, codePrefix: String(rawValue.prefix(3)).uppercased())
    }

    public init(_ name: String, codePrefix: String) {
        self.rawValue = name
        self.codePrefix = codePrefix
    }

    public var description: String { rawValue }

    public static let duplicates = RuleFamily("duplicates", codePrefix: "DUP")
    public static let imports = RuleFamily("imports", codePrefix: "IMP")
    public static let deprecations = RuleFamily("deprecations", codePrefix: "DEP")
    public static let singletons = RuleFamily("singletons", codePrefix: "SGL")
    public static let layers = RuleFamily("layers", codePrefix: "LAY")
    public static let suppressions = RuleFamily("suppressions", codePrefix: "SUP")
}

/// One documented option of a rule.
public struct OptionDescription: Sendable, Hashable {
    /// The YAML key, under `rules.<id>`.
    public var key: String
    public var summary: String

    public init(_ key: String, _ summary: String) {
        self.key = key
        self.summary = summary
    }
}

/// One source file of an example.
public struct ExampleFile: Sendable, Hashable {
    /// The path relative to the example's root, which decides the module name (`pkg/mod.py` is `pkg.mod`).
    public var path: String
    /// The source. `↓` marks where a finding starts; the marker is removed before scanning.
    public var source: String

    public init(_ path: String, _ source: String) {
        self.path = path
        self.source = source
    }
}

/// A small project that shows a rule at work. Examples are documentation and tests at once: every triggering
/// example must produce findings exactly at its `↓` markers, every non-triggering one must produce none.
public struct Example: Sendable, Hashable {
    /// The marker that stands before the first character of an expected finding.
    public static let marker: Character = "↓"

    public var files: [ExampleFile]
    /// Options for the rule, as the YAML mapping that would stand under `rules.<id>`, if the example needs any.
    public var options: String?
    /// Top-level policy sections the example needs (`concepts:`, `deprecated:`, ...), as YAML.
    public var policy: String?

    /// A one-file example, the file being `example.py`.
    public init(_ source: String, options: String? = nil, policy: String? = nil) {
        self.init(files: [ExampleFile("example.py", source)], options: options, policy: policy)
    }

    public init(files: [ExampleFile], options: String? = nil, policy: String? = nil) {
        self.files = files
        self.options = options
        self.policy = policy
    }
}

/// How often a rule's findings are true problems, as code scanning tools rank rules (SARIF's `precision`).
public enum RulePrecision: String, Sendable, Hashable, Codable, CaseIterable {
    case veryHigh = "very-high"
    case high
    case medium
    case low
}

/// Everything `canon explain` shows about a rule, and what identifies it everywhere.
public struct RuleDescription: Sendable, Hashable {
    /// The snake_case id: the YAML key and the SARIF `ruleId`. Never renamed without an alias.
    public var id: String
    /// The stable code: a family prefix and three digits (`DUP001`).
    public var code: String
    public var family: RuleFamily
    /// One line, without a trailing period.
    public var summary: String
    /// Why this is a problem and what to do about it.
    public var rationale: String
    public var defaultSeverity: Severity
    public var options: [OptionDescription]
    public var triggeringExamples: [Example]
    public var nonTriggeringExamples: [Example]
    /// Ids of rules this rule supersedes: when both report at the same path and range, the engine keeps only
    /// this rule's finding, because it says the same and more.
    public var supersedes: [String]
    /// How often findings are true problems; rules that are `off` by default are usually `medium` or `low`.
    public var precision: RulePrecision

    public init(
        id: String, code: String, family: RuleFamily, summary: String, rationale: String,
        defaultSeverity: Severity, options: [OptionDescription] = [], triggeringExamples: [Example],
        nonTriggeringExamples: [Example], supersedes: [String] = [], precision: RulePrecision = .high
    ) {
        self.id = id
        self.code = code
        self.family = family
        self.summary = summary
        self.rationale = rationale
        self.defaultSeverity = defaultSeverity
        self.options = options
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
        self.supersedes = supersedes
        self.precision = precision
    }
}
