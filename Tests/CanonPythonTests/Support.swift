import CanonCore
import Testing

@testable import CanonPython

/// Facts of a snippet, as module `pkg.mod` unless told otherwise.
func facts(_ source: String, module: String = "pkg.mod", isPackage: Bool = false) throws -> FileFacts {
    try PythonFrontEnd.facts(
        source: Array(source.utf8), path: "pkg/mod.py", module: module, isPackage: isPackage, isStub: false)
}

func facts(bytes: [UInt8]) throws -> FileFacts {
    try PythonFrontEnd.facts(source: bytes, path: "pkg/mod.py", module: "pkg.mod", isPackage: false, isStub: false)
}

/// The syntax error a snippet raises, or nil if it is accepted.
func syntaxError(_ source: String) -> PythonSyntaxError? {
    syntaxError(bytes: Array(source.utf8))
}

func syntaxError(bytes: [UInt8]) -> PythonSyntaxError? {
    do {
        _ = try PythonFrontEnd.facts(source: bytes, path: "x.py", module: "x", isPackage: false, isStub: false)
        return nil
    } catch {
        return error
    }
}

/// The kinds and texts of the tokens of a snippet, without the trailing NEWLINE/ENDMARKER bookkeeping.
func tokenKinds(_ source: String) throws -> [TokenKind] {
    try PythonFrontEnd.parse(Array(source.utf8)).tokens.map(\.kind)
}

func range(_ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) -> SourceRange {
    SourceRange(line: line, column: column, endLine: endLine, endColumn: endColumn)
}
