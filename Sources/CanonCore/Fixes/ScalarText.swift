/// A file's text as Unicode scalars, addressed as facts address it: 1-based lines, columns in code points.
/// A leading byte order mark is not part of line 1; `\n`, `\r\n` and a lone `\r` end lines, as in Python.
public struct ScalarText: Sendable, Hashable {
    public let scalars: [Unicode.Scalar]
    /// The offset of each line's first scalar.
    public let lineStarts: [Int]
    /// The file's first line ending, used for lines a fix inserts (`\n` when the file has none).
    public let lineEnding: String

    public init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var starts = [scalars.first == "\u{FEFF}" ? 1 : 0]
        var ending: String?
        var k = starts[0]
        while k < scalars.count {
            if scalars[k] == "\n" {
                ending = ending ?? "\n"
                starts.append(k + 1)
            } else if scalars[k] == "\r" {
                if k + 1 < scalars.count && scalars[k + 1] == "\n" {
                    ending = ending ?? "\r\n"
                    k += 1
                } else {
                    ending = ending ?? "\r"
                }
                starts.append(k + 1)
            }
            k += 1
        }
        self.scalars = scalars
        self.lineStarts = starts
        self.lineEnding = ending ?? "\n"
    }

    /// The text, as a string.
    public var string: String { text(0..<scalars.count) }

    /// The offset of a 1-based line and column, nil when the file has no such place.
    public func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        let offset = lineStarts[line - 1] + column - 1
        let limit = line < lineStarts.count ? lineStarts[line] : scalars.count
        return offset <= limit ? offset : nil
    }

    /// The offsets a range spans, nil when it is not in the file.
    public func offsets(of range: SourceRange) -> Range<Int>? {
        guard let start = offset(line: range.line, column: range.column),
            let end = offset(line: range.endLine, column: range.endColumn), start <= end
        else { return nil }
        return start..<end
    }

    /// The 1-based line and column of an offset.
    public func position(of offset: Int) -> (line: Int, column: Int) {
        // The last line starting at or before the offset; the first line when the offset comes before it.
        let line = max(1, lineStarts.partitioningIndex { $0 > offset })
        return (line, offset - lineStarts[line - 1] + 1)
    }

    /// The range of offsets, as a source range.
    public func range(of offsets: Range<Int>) -> SourceRange {
        let start = position(of: offsets.lowerBound)
        let end = position(of: offsets.upperBound)
        return SourceRange(line: start.line, column: start.column, endLine: end.line, endColumn: end.column)
    }

    /// The offset where the line holding `offset` starts.
    public func lineStart(containing offset: Int) -> Int { lineStarts[position(of: offset).line - 1] }

    /// The offset of the line terminator of the line holding `offset` (the end of the text on the last line).
    public func lineEnd(containing offset: Int) -> Int {
        var k = offset
        while k < scalars.count && scalars[k] != "\n" && scalars[k] != "\r" { k += 1 }
        return k
    }

    /// The offset just past the line terminator of the line holding `offset`.
    public func nextLineStart(containing offset: Int) -> Int {
        let line = position(of: offset).line
        return line < lineStarts.count ? lineStarts[line] : scalars.count
    }

    /// The text between two offsets.
    public func text(_ offsets: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(offsets.count)
        Self.appendUTF8(of: scalars[offsets], to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 encoding of `scalars` to `bytes`. Text is put together as bytes: appending scalars to a
    /// `String.UnicodeScalarView` took about a hundred and eighty instructions a scalar (seconds for the fixes
    /// of a large project).
    private static func appendUTF8(of scalars: ArraySlice<Unicode.Scalar>, to bytes: inout [UInt8]) {
        for scalar in scalars {
            if scalar.isASCII {
                bytes.append(UInt8(truncatingIfNeeded: scalar.value))
            } else {
                UTF8.encode(scalar) { bytes.append($0) }
            }
        }
    }

    /// Applies edits that do not overlap (insertions at one place apply in the order given).
    public func applying(_ edits: [TextEdit]) -> String? {
        var located: [(offsets: Range<Int>, order: Int, text: String)] = []
        for (order, edit) in edits.enumerated() {
            guard let offsets = offsets(of: edit.range) else { return nil }
            located.append((offsets, order, edit.replacement))
        }
        located.sort { ($0.offsets.lowerBound, $0.order) < ($1.offsets.lowerBound, $1.order) }
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count + located.reduce(0) { $0 + $1.text.utf8.count })
        var position = 0
        for edit in located {
            guard edit.offsets.lowerBound >= position else { return nil }
            Self.appendUTF8(of: scalars[position..<edit.offsets.lowerBound], to: &out)
            out.append(contentsOf: edit.text.utf8)
            position = edit.offsets.upperBound
        }
        Self.appendUTF8(of: scalars[position...], to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
