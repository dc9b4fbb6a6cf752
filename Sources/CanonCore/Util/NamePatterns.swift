import Foundation

/// Regular expressions that must match a whole name, as rule options and concepts spell them
/// (`ignore_names: ['Meta.*']`).
public struct NamePatterns: Sendable {
    /// The patterns as written.
    public let sources: [String]
    private let expressions: [NSRegularExpression]

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
        let range = NSRange(name.startIndex..., in: name)
        return zip(sources, expressions).first { $0.1.firstMatch(in: name, range: range) != nil }?.0
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
