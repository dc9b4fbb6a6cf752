import CanonCore
import CanonPolicy
import CanonReporting

extension Policy {
    /// Every registered rule with the severity this policy gives it, as `canon rules` and the server list them.
    public func ruleListings(registry: Registry) -> [RuleListing] {
        registry.descriptions.map { RuleListing($0, severity: rules[$0.id]?.severity ?? $0.defaultSeverity) }
    }
}
