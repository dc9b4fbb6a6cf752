/// A span of source text: 1-based lines and columns, columns counted in Unicode code points, end exclusive.
public struct SourceRange: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int

    /// Creates a range from its start and its exclusive end.
    public init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }

    /// An empty range at one position.
    public static func at(line: Int, column: Int) -> SourceRange {
        SourceRange(line: line, column: column, endLine: line, endColumn: column)
    }

    public static func < (lhs: SourceRange, rhs: SourceRange) -> Bool {
        (lhs.line, lhs.column, lhs.endLine, lhs.endColumn) < (rhs.line, rhs.column, rhs.endLine, rhs.endColumn)
    }

    public var description: String { "\(line):\(column)-\(endLine):\(endColumn)" }
}

/// A range in one file, the file named by its path relative to the scan root, `/`-separated.
public struct SourceLocation: Sendable, Hashable, Codable, Comparable {
    public var path: String
    public var range: SourceRange

    public init(path: String, range: SourceRange) {
        self.path = path
        self.range = range
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.path != rhs.path ? lhs.path < rhs.path : lhs.range < rhs.range
    }
}
