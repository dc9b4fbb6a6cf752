/// A configuration value that does not fit what a detector or the policy expects.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A key no one knows, with the keys that are known and the closest of them.
    case unknownKey(String, mark: ConfigMark?, context: String, known: [String])
    case typeMismatch(path: String, expected: String, found: String, mark: ConfigMark?)
    case invalidValue(path: String, reason: String, mark: ConfigMark?)

    public var mark: ConfigMark? {
        switch self {
        case .unknownKey(_, let mark, _, _), .typeMismatch(_, _, _, let mark), .invalidValue(_, _, let mark): mark
        }
    }

    public var description: String {
        let place = mark.map { "\($0): " } ?? ""
        switch self {
        case .unknownKey(let key, _, let context, let known):
            var text = "\(place)unknown key '\(key)' in \(context)"
            if let suggestion = Suggestions.closest(to: key, among: known) {
                text += "; did you mean '\(suggestion)'?"
            } else if !known.isEmpty {
                text += "; known keys: \(known.joined(separator: ", "))"
            } else {
                text += "; it takes no keys"
            }
            return text + (text.hasSuffix("?") ? " " : ". ") + "Fix or remove the key and run again."
        case .typeMismatch(let path, let expected, let found, _):
            return "\(place)'\(path)' must be \(expected), not \(found). Fix the value and run again."
        case .invalidValue(let path, let reason, _):
            return "\(place)'\(path)' \(reason). Fix the value and run again."
        }
    }
}

/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
    /// The candidate closest to `word`, if one is close enough to be a likely typo.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        return candidates
            .map { ($0, distance(word.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= limit }
            .min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    /// Levenshtein distance over Unicode scalars.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
