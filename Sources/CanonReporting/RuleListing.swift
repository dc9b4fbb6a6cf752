import CanonCore

/// One rule as `canon rules --format json` and the server's `rules` method list it.
public struct RuleListing: Encodable, Sendable, Equatable {
    public let id: String
    public let code: String
    public let family: String
    public let defaultSeverity: String
    /// The severity the policy in force gives the rule.
    public let severity: String
    public let enabled: Bool
    public let summary: String

    public init(_ description: RuleDescription, severity: Severity) {
        id = description.id
        code = description.code
        family = description.family.rawValue
        defaultSeverity = description.defaultSeverity.rawValue
        self.severity = severity.rawValue
        enabled = severity != .off
        summary = description.summary
    }
}
