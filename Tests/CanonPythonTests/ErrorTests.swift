import CanonCore
import Testing

@testable import CanonPython

@Suite struct SyntaxErrorTests {
    @Test func unterminatedString() {
        let error = syntaxError("x = 1\ny = 'abc\n")
        #expect(error == PythonSyntaxError(line: 2, column: 5, message: "unterminated string literal (detected at line 2)"))
    }

    @Test func unterminatedTripleQuotedString() {
        let error = syntaxError("x = '''abc\n\ndef\n")
        #expect(error?.line == 1)
        #expect(error?.message == "unterminated triple-quoted string literal (detected at line 4)")
    }

    @Test func unterminatedFString() {
        #expect(syntaxError("x = f'abc\n")?.message == "unterminated f-string literal (detected at line 1)")
    }

    @Test func unindentNotMatchingAnyOuterLevel() {
        let error = syntaxError("if x:\n    a = 1\n  b = 2\n")
        #expect(error?.line == 3)
        #expect(error?.message == "unindent does not match any outer indentation level")
    }

    @Test func unexpectedIndent() {
        let error = syntaxError("a = 1\n    b = 2\n")
        #expect(error == PythonSyntaxError(line: 2, column: 5, message: "unexpected indent"))
        #expect(syntaxError("if x: pass\n    b = 2\n")?.message == "unexpected indent")
    }

    @Test func expectedIndentedBlock() {
        let error = syntaxError("def f():\nreturn 1\n")
        #expect(error?.line == 2)
        #expect(error?.message == "expected an indented block after function definition on line 1")
        #expect(syntaxError("if x:\n")?.message == "expected an indented block after 'if' statement on line 1")
    }

    @Test func invalidUTF8() {
        let error = syntaxError(bytes: Array("x = 1\ny = '".utf8) + [0xFF] + Array("'\n".utf8))
        #expect(error?.line == 2)
        #expect(error?.column == 6)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func invalidUTF8InACommentIsAccepted() {
        // CPython only decodes what it tokenizes; a comment's bytes are skipped.
        #expect(syntaxError(bytes: Array("x = 1  # ".utf8) + [0xFF] + [0x0A]) == nil)
    }

    @Test func nulByte() {
        let error = syntaxError(bytes: Array("x = 1\ny = 2".utf8) + [0] + [0x0A])
        #expect(error?.line == 2)
        #expect(error?.message == "source code string cannot contain null bytes")
    }

    @Test func unclosedBracket() {
        let error = syntaxError("x = 1\ny = foo(1,\n  2\n")
        #expect(error == PythonSyntaxError(line: 2, column: 8, message: "'(' was never closed"))
    }

    @Test func mismatchedAndUnmatchedBrackets() {
        #expect(syntaxError("x = (1]\n")?.message == "closing parenthesis ']' does not match opening parenthesis '('")
        #expect(syntaxError("x = 1)\n")?.message == "unmatched ')'")
    }

    @Test func continuationErrors() {
        #expect(syntaxError("x = 1 \\ 2\n")?.message == "unexpected character after line continuation character")
        #expect(syntaxError("x = 1 \\")?.message == "unexpected EOF while parsing")
    }

    @Test func invalidCharacters() {
        #expect(syntaxError("x = $\n")?.message == "invalid character '$' (U+0024)")
        #expect(syntaxError("x = €\n")?.message == "invalid character '€' (U+20AC)")
    }

    @Test func clauseStructure() {
        #expect(syntaxError("try:\n    pass\nx = 1\n")?.message == "expected 'except' or 'finally' block")
        #expect(syntaxError("else:\n    pass\n") != nil)
        #expect(syntaxError("@decorator\nx = 1\n") != nil)
        #expect(syntaxError("match x:\n    y = 1\n") != nil)
    }

    @Test func codingDeclarations() {
        #expect(syntaxError("# coding: no-such-codec\nx = 1\n")?.message == "unknown encoding: no-such-codec")
        #expect(syntaxError(bytes: [0xEF, 0xBB, 0xBF] + Array("# coding: latin-1\n".utf8)) != nil)
        #expect(syntaxError("# -*- coding: utf-8 -*-\nx = 'é'\n") == nil)
    }

    @Test func deepNestingIsBoundedNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000) + "\n"
        #expect(syntaxError(deep)?.message == "too many nested parentheses")
        let nested = String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "\n"
        #expect(syntaxError("x = " + nested) == nil)
    }

    @Test func validTrickyFilesAreAccepted() {
        let sources = [
            "x = 1if y else 2\n", "\\\nx = 1\n", "if x:\n  \\\n  y = 1\n", "x = 1\n   ", "x = 1\n   # c",
            "pass;\n", "class A: x = 1; y = 2\n", "if 1:\n    pass\n\t\n", "def f():\n    return\\\n\n",
            "x = [\n\\\n]\n", "print(1, end='')\r\n", "f'{x!r:{w}.{p}}'\n", "x = 0x_ff + 1_000 + 1e-5j + .5\n",
        ]
        for source in sources { #expect(syntaxError(source) == nil, "\(source)") }
    }
}
