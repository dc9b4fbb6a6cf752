import CanonCore
import SwiftSyntax

/// The source ranges of one file's syntax nodes and byte offsets (1-based lines, code-point columns).
struct SyntaxRanges {
    private let bytes: [UInt8]
    private let lines: LineIndex

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        lines = LineIndex(bytes)
    }

    /// The line and column of a byte offset.
    func position(_ offset: Int) -> (line: Int, column: Int) { lines.position(of: offset, in: bytes) }

    /// The range from one byte offset to another (exclusive).
    func range(from start: Int, to end: Int) -> CanonCore.SourceRange {
        let (line, column) = position(start)
        let (endLine, endColumn) = position(end)
        return CanonCore.SourceRange(line: line, column: column, endLine: endLine, endColumn: endColumn)
    }

    /// The range of a node's text, trivia left out.
    func range(of node: some SyntaxProtocol) -> CanonCore.SourceRange {
        range(from: node.positionAfterSkippingLeadingTrivia.utf8Offset, to: node.endPositionBeforeTrailingTrivia.utf8Offset)
    }

    /// The range from the start of `first` to the end of `last`, trivia left out.
    func range(from first: some SyntaxProtocol, to last: some SyntaxProtocol) -> CanonCore.SourceRange {
        range(from: first.positionAfterSkippingLeadingTrivia.utf8Offset, to: last.endPositionBeforeTrailingTrivia.utf8Offset)
    }
}
