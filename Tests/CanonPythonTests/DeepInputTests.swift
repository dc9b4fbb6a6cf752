import CanonCore
import Foundation
import Testing

@testable import CanonPython

/// Input built to exhaust a recursive reader: it gives facts or a `SourceError`, never a stack overflow.
@Suite struct DeepInputTests {
    @Test func hundredThousandNestedBracketsAreAnError() {
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
            let source = "x = " + String(repeating: open, count: 100_000) + String(repeating: close, count: 100_000) + "\n"
            let error = syntaxError(source)
            #expect(error?.message == "too many nested parentheses")
            #expect(error?.line == 1)
        }
    }

    @Test func hundredThousandChainedAttributesAreAnAlias() throws {
        let chain = "a" + String(repeating: ".b", count: 100_000)
        let facts = try facts("import a\nx = \(chain)\n\(chain).c = 1\n")
        #expect(facts.assignments.map(\.name) == ["x"])
        #expect(facts.assignments.first?.value == .alias(chain))
    }

    @Test func hundredThousandNestedBlocksAreAnError() {
        var source = ""
        for depth in 0..<100_000 { source += String(repeating: " ", count: depth % 200) + "if x:\n" }
        #expect(syntaxError(source) != nil)
    }

    /// One 50 MB line: a string literal (each byte read once by the lexer), then a long list of attribute
    /// chains on the same line, which the statement reader and extractor walk too.
    @Test func fiftyMegabyteLineGivesFacts() throws {
        var source = Array("from pkg import a\nx = '".utf8)
        source.reserveCapacity(50 << 20 + 64)
        source += [UInt8](repeating: UInt8(ascii: "z"), count: 48 << 20)
        source += Array("'; y = [".utf8)
        let element = Array("a.b, ".utf8)
        while source.count < 50 << 20 { source += element }
        source += Array("]\nclass C:\n    pass\n".utf8)
        let facts = try facts(bytes: source)
        #expect(facts.classes.map(\.name) == ["C"])
        #expect(facts.assignments.map(\.name) == ["x", "y"])
        #expect(facts.assignments.last?.value == .mutableLiteral)
    }
}
