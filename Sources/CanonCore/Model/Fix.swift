/// A replacement of a span of one file's text: what a fix writes, and what an editor's quick fix applies.
public struct TextEdit: Sendable, Hashable, Codable {
    /// The file, relative to the scan root, `/`-separated.
    public var path: String
    /// The span replaced; empty for an insertion. Lines and columns 1-based, columns in code points.
    public var range: SourceRange
    public var replacement: String

    public init(path: String, range: SourceRange, replacement: String) {
        self.path = path
        self.range = range
        self.replacement = replacement
    }
}

/// One name of a `from` import to take from another module: `from a.shim import X` becoming
/// `from a.real import X`. Detectors describe the move; `ImportRewriter` turns the moves of a file into text
/// edits, keeping what the statement already says (aliases, comments, wrapping, relative style).
public struct ImportMove: Sendable, Hashable, Codable {
    /// The importing file.
    public var path: String
    /// The alias clause (`X`, `X as Y`) in the `from` import.
    public var clause: SourceRange
    /// The whole import statement.
    public var statement: SourceRange
    /// The module the name is taken from now, absolute.
    public var source: String
    /// The name taken from `source`.
    public var name: String
    /// The module to take it from instead, absolute.
    public var target: String
    /// The name `target` binds the same object under (usually `name`).
    public var targetName: String

    public init(
        path: String, clause: SourceRange, statement: SourceRange, source: String, name: String, target: String,
        targetName: String
    ) {
        self.path = path
        self.clause = clause
        self.statement = statement
        self.source = source
        self.name = name
        self.target = target
        self.targetName = targetName
    }
}

/// Whether a finding can be fixed by rewriting code, and how; or why not.
public enum Fixability: Sendable, Hashable, Codable {
    /// Taking the imported name from another module fixes it.
    case move(ImportMove)
    /// No safe rewrite is known, for the reason given (said of the code: `'m.X' reads ...`).
    case unfixable(reason: String)

    /// Whether a rewrite is known.
    public var isFixable: Bool {
        if case .move = self { return true }
        return false
    }

    /// The move, for fixable findings.
    public var move: ImportMove? {
        if case .move(let move) = self { return move }
        return nil
    }

    /// Why it cannot be fixed, for unfixable findings.
    public var reason: String? {
        if case .unfixable(let reason) = self { return reason }
        return nil
    }
}
