import CanonCore
import SwiftSyntax

/// Turns UTF-8 byte offsets of one file into 1-based lines and code-point columns.
struct SourcePositions {
    private let bytes: [UInt8]
    /// The byte offset at which each line starts.
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                starts.append(index + 1)
            } else if byte == UInt8(ascii: "\r") {
                if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        lineStarts = starts
    }

    /// The line and column of a byte offset.
    func position(_ offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(0, offset), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        for byte in bytes[lineStarts[low]..<offset] where byte & 0xC0 != 0x80 { column += 1 }
        return (low + 1, column)
    }

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
