import CanonCore
import Testing

@Suite struct ScalarTextTests {
    /// A byte order mark, characters of two, three and four UTF-8 bytes, a combining accent and every line
    /// ending: the text comes back whole, and edits land on code-point columns.
    static let source = "\u{FEFF}é = 'naïve'\r\nx = \"€😀\"\ry = 'e\u{301}'\nz = 1"

    @Test func textComesBackWholeAndInPieces() {
        let text = ScalarText(Self.source)
        #expect(text.string == Self.source)
        #expect(text.lineStarts == [1, 14, 23, 32])
        #expect(text.lineEnding == "\r\n")
        let start = text.offset(line: 2, column: 6)!
        #expect(text.text(start..<(start + 2)) == "€😀")
        #expect(text.text(0..<0) == "")
    }

    @Test func editsApplyAtCodePointColumns() {
        let text = ScalarText(Self.source)
        let edits = [
            TextEdit(path: "m.py", range: SourceRange(line: 2, column: 6, endLine: 2, endColumn: 8), replacement: "ü"),
            TextEdit(path: "m.py", range: .at(line: 1, column: 1), replacement: "# ☃\n"),
            TextEdit(path: "m.py", range: SourceRange(line: 3, column: 7, endLine: 3, endColumn: 8), replacement: ""),
            TextEdit(path: "m.py", range: .at(line: 4, column: 6), replacement: "0"),
        ]
        #expect(text.applying(edits) == "\u{FEFF}# ☃\né = 'naïve'\r\nx = \"ü\"\ry = 'e'\nz = 10")
        #expect(text.applying([edits[0], edits[0]]) == nil)
    }
}
