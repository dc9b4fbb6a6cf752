import CanonCore

/// What can be wrong with a policy. Every case names the file and, where it can, the line and column.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, problem: String)
    case invalidConfiguration(ConfigError)
    case unknownRule(String, mark: ConfigMark?, suggestion: String?, context: String)
    case extendsCycle([String])
    case extendsMissing(target: String, resolved: String, mark: ConfigMark?)
    case unsupportedVersion(Int, mark: ConfigMark?)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the policy: \(reason). Check the path and its permissions."
        case .syntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): the policy is not valid YAML: \(problem). Fix the YAML and run again."
        case .invalidConfiguration(let error):
            return error.description
        case .unknownRule(let id, let mark, let suggestion, let context):
            let place = mark.map { "\($0): " } ?? ""
            let hint = suggestion.map { "; did you mean '\($0)'? Fix the id and run again." }
                ?? "; `canon rules` lists the known ids. Fix the id and run again."
            return "\(place)unknown rule '\(id)' in \(context)\(hint)"
        case .extendsCycle(let files):
            return "the policy's 'extends' chain loops: \(files.joined(separator: " -> ")). Break the loop and run again."
        case .extendsMissing(let target, let resolved, let mark):
            let place = mark.map { "\($0): " } ?? ""
            return "\(place)'extends' names '\(target)', but \(resolved) does not exist. Fix the path (it is relative to the file that extends it) or write 'extends: default'."
        case .unsupportedVersion(let version, let mark):
            let place = mark.map { "\($0): " } ?? ""
            return "\(place)policy version \(version) is not supported; this Canon reads version 1. Set 'version: 1'."
        }
    }
}
