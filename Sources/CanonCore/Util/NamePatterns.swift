import Foundation

/// Regular expressions that must match a whole name, as rule options and concepts spell them
/// (`ignore_names: ['Meta.*']`).
public struct NamePatterns: Sendable {
    /// The patterns as written.
    public let sources: [String]
    private let expressions: [NSRegularExpression]
    /// The answer of `firstMatch` for each name asked about (the offset of the first pattern that matches,
    /// nil for none), shared by the copies of these patterns: a regular expression takes 20,000 instructions
    /// to try on a name, and a rule asks about the same names (`dict`, `Lock`, a project's class) in file after
    /// file.
    private let answers = Locked(NameTable<Int?>())

    /// Compiles `patterns`; one that does not compile is left out (options report it first, through
    /// `problems(in:key:)`, so a running detector only sees valid ones).
    public init(_ patterns: [String]) {
        var sources: [String] = []
        var expressions: [NSRegularExpression] = []
        for pattern in patterns {
            guard let expression = Self.compile(pattern) else { continue }
            sources.append(pattern)
            expressions.append(expression)
        }
        self.sources = sources
        self.expressions = expressions
    }

    public var isEmpty: Bool { expressions.isEmpty }

    /// Whether any pattern matches the whole of `name`.
    public func matches(_ name: String) -> Bool { firstMatch(name) != nil }

    /// The first pattern, as written, that matches the whole of `name`.
    public func firstMatch(_ name: String) -> String? {
        guard !expressions.isEmpty else { return nil }
        if let known = answers.withLock({ $0[name] }) { return known.map { sources[$0] } }
        let range = NSRange(name.startIndex..., in: name)
        let found = expressions.firstIndex { $0.firstMatch(in: name, range: range) != nil }
        answers.withLock { $0[name] = .some(found) }
        return found.map { sources[$0] }
    }

    /// One problem for each pattern of the option `key` that is not a valid regular expression.
    public static func problems(in patterns: [String], key: String) -> [OptionProblem] {
        patterns.enumerated().compactMap { offset, pattern in
            compile(pattern) == nil
                ? OptionProblem(key: key, index: offset, reason: "is not a valid regular expression ('\(pattern)')") : nil
        }
    }

    private static func compile(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: "^(?:\(pattern))$")
    }
}
