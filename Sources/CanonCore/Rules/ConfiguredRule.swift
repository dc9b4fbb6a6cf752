/// A detector built from its options, with the severity the policy gives it: what the engine runs.
public struct ConfiguredRule: Sendable {
    public let description: RuleDescription
    public let severity: Severity
    /// The detector's default options, as `rules.yml` spells them, for documentation.
    public let defaultOptions: ConfigNode
    private let run: @Sendable (DetectionContext) -> [Violation]

    /// Decodes the options for `type` from `options` (a mapping written under `rules.<id>`, without
    /// `severity`) and builds the detector.
    public init<D: Detector>(_ type: D.Type, severity: Severity, options: ConfigNode) throws(ConfigError) {
        let decoded = try D.Options.decode(from: options, rule: D.description.id)
        let detector = D(options: decoded)
        self.description = D.description
        self.severity = severity
        self.defaultOptions = D.Options.defaultNode
        self.run = { detector.detect(in: $0) }
    }

    /// Runs the detector and turns its violations into findings with this rule's identity and severity,
    /// keeping only those in reported files.
    public func findings(in context: DetectionContext) -> [Finding] {
        run(context).compactMap { violation in
            guard context.index.isReported(violation.location.path) else { return nil }
            return Finding(
                rule: description.id, code: description.code, severity: violation.severityOverride ?? severity,
                location: violation.location, message: violation.message, subject: violation.subject,
                related: violation.related.sorted { $0.location < $1.location })
        }
    }
}
