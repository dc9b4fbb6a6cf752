import Canon
import Testing

/// Swift built to exhaust swift-syntax's recursion (in its parser's lookahead and in every visitor) is refused
/// with a `SourceError` before the parse; ordinary deep code still gives facts.
@Suite struct SwiftDeepInputTests {
    func read(_ source: String) throws(SourceError) -> FileFacts {
        let layout = ProjectLayout(paths: ["Sources/App/File.swift"], read: { _ in nil })
        return try SwiftLanguage().reader(for: layout).facts(source: Array(source.utf8), path: "Sources/App/File.swift")
    }

    /// Sources nesting `count` levels in each way swift-syntax recurses.
    static func deep(_ count: Int) -> [String: String] {
        func times(_ text: String) -> String { String(repeating: text, count: count) }
        return [
            "array literal": "let x = " + times("[") + times("]"),
            "array type": "let x: " + times("[") + "Int" + times("]"),
            "parentheses": "let x = " + times("(") + "1" + times(")"),
            "closures": "let x = " + times("{") + times("}"),
            "member chain": "let x = a" + times(".b"),
            "member chain in a body": "func f() {\n    _ = a" + times(".b") + "\n}",
            "member chain over lines": "let x = a" + times("\n    .b"),
            "calls": "let x = f" + times("()"),
            "subscripts": "let x = a" + times("[0]"),
            "force unwraps": "let x = a" + times("!"),
            "optional type": "let x: Int" + times("?"),
            "member type": "let x: A" + times(".B"),
            "generic arguments": "let x: " + times("A<") + "Int" + times(">"),
            "function types": "let x: " + times("() -> ") + "Int",
            "try": "let x = " + times("try ") + "a",
            "await": "func f() async {\n    _ = " + times("await ") + "a\n}",
            "prefix operators": "let x = " + times("!(") + "a" + times(")"),
            "interpolations": "let x = " + times(#""\("#) + times(#")""#),
            "#if": times("#if a\n") + times("#endif\n"),
        ]
    }

    @Test(arguments: deep(100_000).sorted { $0.key < $1.key })
    func hundredThousandLevelsAreAnError(_ kind: String, _ source: String) {
        #expect(throws: SourceError.self, "\(kind)") { try read(source) }
        do {
            _ = try read(source)
        } catch {
            let message = kind.hasPrefix("array") ? "more than 12 '[' in a row" : "the code nests more than 1000 levels deep here"
            #expect(error.message.hasPrefix(message), "\(kind): \(error)")
        }
    }

    /// Just under the limit the parser may reject the code, but reading it must not overflow the stack.
    @Test(arguments: deep(400).sorted { $0.key < $1.key })
    func fourHundredLevelsAreReadWithoutOverflow(_ kind: String, _ source: String) {
        _ = try? read(source)
    }

    @Test func twelveBracketsInARowAreReadAndThirteenAreAnError() throws {
        let twelve = "let x: " + String(repeating: "[", count: 12) + "Int" + String(repeating: "]", count: 12) + "\n"
        #expect(try read(twelve + "struct S {}\n").classes.map(\.name) == ["S"])
        let thirteen = "let x = [ // one\n" + String(repeating: "[ ", count: 12) + String(repeating: "]", count: 13) + "\n"
        #expect(throws: SourceError(line: 2, column: 23, message: "more than 12 '[' in a row here; Canon reads no more, so name the inner values or types")) {
            try read(thirteen)
        }
    }

    @Test func longFlatCodeIsRead() throws {
        let sum = "let x = 1" + String(repeating: " + 1", count: 20_000) + "\n"
        let table = "let table = [" + String(repeating: "1.5, ", count: 20_000) + "]\n"
        let statements = String(repeating: "let y = a.b.c!.d?.e(f)[g]\n", count: 2_000)
        let fluent = "let view = Text(\"a\")" + String(repeating: "\n    .padding(.horizontal, 4)", count: 100) + "\n"
        let conditions = String(repeating: "#if os(Linux)\nfunc f() { _ = [[1]] }\n#else\nfunc g() {}\n#endif\n", count: 2_000)
        let facts = try read(sum + table + statements + fluent + conditions + "final class Store {}\n")
        #expect(facts.classes.map(\.name) == ["Store"])
    }
}
