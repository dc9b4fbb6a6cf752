/// A pattern over dotted module names, written as import-linter writes module expressions: `app.api` is one
/// module, `*` stands for exactly one name (`app.*.models`), `**` for one or more (`app.**`).
public struct ModulePattern: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let parts: [Substring]

    /// Parses a pattern; throws a reason when it is malformed (an empty part, a `*` inside a name, or two
    /// wildcards in a row).
    public init(_ pattern: String) throws(ModulePatternError) {
        let parts = pattern.split(separator: ".", omittingEmptySubsequences: false)
        guard !pattern.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw ModulePatternError(pattern: pattern, reason: "has an empty module name between dots")
        }
        for (offset, part) in parts.enumerated() {
            let wildcard = part == "*" || part == "**"
            if !wildcard && part.contains("*") {
                throw ModulePatternError(pattern: pattern, reason: "has a '*' inside a name; a wildcard replaces a whole name")
            }
            if wildcard, offset > 0, parts[offset - 1] == "*" || parts[offset - 1] == "**" {
                throw ModulePatternError(pattern: pattern, reason: "has two wildcards in a row")
            }
            if !wildcard && part.contains(where: { $0.isWhitespace || $0 == "/" }) {
                throw ModulePatternError(pattern: pattern, reason: "is not a dotted module name")
            }
        }
        self.pattern = pattern
        self.parts = parts
    }

    public var description: String { pattern }

    /// Whether the pattern has a wildcard.
    public var isLiteral: Bool { !parts.contains { $0 == "*" || $0 == "**" } }

    /// Whether `module` is matched exactly.
    public func matches(_ module: String) -> Bool {
        Self.match(parts[...], DottedName.parts(of: module)[...])
    }

    /// Whether `module` is matched, or lies inside a matched package (`app.api` covers `app.api.views`).
    public func covers(_ module: String) -> Bool {
        let names = DottedName.parts(of: module)
        return (1...max(1, names.count)).contains { Self.match(parts[...], names.prefix($0)) }
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ names: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return names.isEmpty }
        guard !names.isEmpty else { return false }
        if first == "**" {
            var rest = names.dropFirst()
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard first == "*" || first == names.first else { return false }
        return match(pattern.dropFirst(), names.dropFirst())
    }
}

/// Why a module pattern cannot be read.
public struct ModulePatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var reason: String

    public var description: String { "'\(pattern)' \(reason)" }
}

/// An import a contract lets through, written `importer -> imported` with module patterns on both sides.
public struct ImportException: Sendable, Hashable, CustomStringConvertible {
    public var importer: ModulePattern
    public var imported: ModulePattern
    /// The entry as written.
    public var text: String
    /// Where the entry was written, so a stale one can be pointed at.
    public var mark: ConfigMark?

    /// Parses `importer -> imported`.
    public init(_ text: String, mark: ConfigMark? = nil) throws(ModulePatternError) {
        let sides = text.split(separator: "->", maxSplits: 1, omittingEmptySubsequences: false)
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
        guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else {
            throw ModulePatternError(pattern: text, reason: "is not of the form 'importer -> imported'")
        }
        self.importer = try ModulePattern(sides[0])
        self.imported = try ModulePattern(sides[1])
        self.text = text
        self.mark = mark
    }

    public var description: String { text }

    /// Whether this entry excuses an import of `imported` by `importer`.
    public func matches(importer: String, imported: String) -> Bool {
        self.importer.matches(importer) && self.imported.matches(imported)
    }
}
