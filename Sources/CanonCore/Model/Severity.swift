/// How serious a finding is, ordered from least to most serious.
///
/// `off` is only a configuration value: a rule whose severity is `off` does not run, and no finding carries it.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case off
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .off: 0
        case .note: 1
        case .warning: 2
        case .error: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
