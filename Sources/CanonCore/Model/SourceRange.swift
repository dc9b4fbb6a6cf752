/// A span of source text: 1-based lines and columns, columns counted in Unicode code points, end exclusive.
public struct SourceRange: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    // Stored in 32 bits: a scan holds a range for every fact and resolution step, about a million of them,
    // and no file Canon reads (at most `max_file_size`, far below 2 GiB) has more lines or columns. Read and made
    // inline in other modules: as calls, the cache's decoder spent 20 M instructions a scan on `init` alone.
    @usableFromInline var storedLine: Int32
    @usableFromInline var storedColumn: Int32
    @usableFromInline var storedEndLine: Int32
    @usableFromInline var storedEndColumn: Int32

    @inlinable
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    @inlinable
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }
    @inlinable
    public var endLine: Int {
        get { Int(storedEndLine) }
        set { storedEndLine = Int32(clamping: newValue) }
    }
    @inlinable
    public var endColumn: Int {
        get { Int(storedEndColumn) }
        set { storedEndColumn = Int32(clamping: newValue) }
    }

    private enum CodingKeys: String, CodingKey {
        case storedLine = "line", storedColumn = "column", storedEndLine = "endLine", storedEndColumn = "endColumn"
    }

    /// Creates a range from its start and its exclusive end.
    @inlinable
    public init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
        storedEndLine = Int32(clamping: endLine)
        storedEndColumn = Int32(clamping: endColumn)
    }

    /// An empty range at one position.
    @inlinable
    public static func at(line: Int, column: Int) -> SourceRange {
        SourceRange(line: line, column: column, endLine: line, endColumn: column)
    }

    @inlinable
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
