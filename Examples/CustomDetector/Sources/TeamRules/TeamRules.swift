import CanonCore

/// The team's own rule family and its detectors, to add to a registry beside Canon's built-ins.
public enum TeamRules {
    /// Every detector of the team.
    public static let detectors: [any Detector.Type] = [VagueTypeNameDetector.self]
}

extension RuleFamily {
    /// The team's rules: codes `TEAM001` and on.
    public static let team = RuleFamily("team", codePrefix: "TEAM")
}
