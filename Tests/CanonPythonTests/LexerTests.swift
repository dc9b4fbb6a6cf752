import CanonCore
import Testing

@testable import CanonPython

@Suite struct StringFormTests {
    @Test(arguments: [
        "x = 'a'", "x = \"a\"", "x = '''a\nb'''", "x = \"\"\"a\n'b'\n\"\"\"", "x = r'\\d'", "x = r'\\''", "x = b'a'", "x = rb'\\d'",
        "x = BR'a'", "x = Rb\"a\"", "x = u'a'", "x = U'a'", "x = f'a'", "x = F'{1}'", "x = fr'{x}\\d'",
        "x = Rf'{x}'", "x = rF'{x}'", "x = 'a\\'b'", "x = \"a\\\"b\"", "x = ''", "x = \"\"", "x = ''''''",
        "x = 'a\\\nb'", "x = ('a'\n 'b')",
    ])
    func everyStringFormIsOneStringAtom(source: String) throws {
        let facts = try facts(source + "\nclass After: pass\n")
        #expect(facts.assignments.map(\.value) == [.immutableLiteral])
        #expect(facts.classes.map(\.name) == ["After"])
    }

    @Test func quotesInsideStringsDoNotEndThem() throws {
        let facts = try facts("x = '''it's \"quoted\" '' '''\ny = \"a'b\"\n")
        #expect(facts.assignments.map(\.name) == ["x", "y"])
    }

    @Test func invalidPrefixIsANameThenAString() throws {
        // `ub''` is not a prefix: CPython reads a name and a string (and then rejects the pair), never a string.
        let tokens = try tokenKinds("ub'a'\n")
        #expect(tokens == [.name, .string, .newline, .endMarker])
    }
}

@Suite struct FStringTests {
    @Test(arguments: [
        "f\"{x[\"a\"]}\"", "f\"{f'{y}'}\"", "f'{f\"{f'{z}'}\"}'", "f'{x:>{width}}'", "f'{x:{a}.{b}}'",
        "f'{{literal}} {x}'", "f'{x=}'", "f'{x = }'", "f'{x!r}'", "f'{x!r:^10}'", "f'{x=!r:>{w}}'",
        "f'{a!=b}'", "f'{x:=5}'", "f'{\"a\" if x else \"b\"}'", "f'''{\nx\n}'''", "f'{x # comment\n}'",
        "f'{1 +\n 2}'", "f'{x:\n}'", "f'\\N{BULLET} {x}'", "rf'\\N{x}'", "f'{d[\"k\"]:{w}}'",
        "f'{x}' f'{y}' 'z'", "f'{lambda_:1}'", "f'{[1, 2][0]}'", "f'{ {1: 2}[1] }'", "f\"\"\"{f'''{x}'''}\"\"\"",
    ])
    func fStringsAreOneAtom(source: String) throws {
        let facts = try facts("value = " + source + "\nclass After: pass\n")
        #expect(facts.assignments.map(\.value) == [.immutableLiteral])
        #expect(facts.classes.map(\.name) == ["After"])
    }

    @Test func replacementFieldsAreCode() throws {
        let facts = try facts("import os\nmessage = f'{os.sep!r} and {f\"{os.path.join}\"}'\n")
        #expect(facts.attributeUses.map(\.path) == [["sep"], ["path", "join"]])
    }

    @Test func literalTextIsNotCode() throws {
        let facts = try facts("import os\nmessage = f'os.sep {{os.path}}'\n")
        #expect(facts.attributeUses.isEmpty)
    }

    @Test func singleClosingBraceIsAnError() {
        #expect(syntaxError("x = f'a } b'\n")?.message == "f-string: single '}' is not allowed")
    }

    @Test func unterminatedFieldIsAnError() {
        let error = syntaxError("x = f'{x'\n")
        #expect(error != nil)
        #expect(error?.line == 1)
    }
}

@Suite struct LineStructureTests {
    @Test func backslashContinuationJoinsLines() throws {
        let facts = try facts("x = 1 + \\\n    2\nimport a, \\\n  b\n")
        #expect(facts.assignments.map(\.name) == ["x"])
        #expect(facts.imports.map(\.module) == ["a", "b"])
        #expect(facts.imports[1].range == range(4, 3, 4, 4))
    }

    @Test func bracketsJoinLinesAndIgnoreIndentation() throws {
        let facts = try facts("x = [\n        1,\n  2,\n]\nclass A: pass\n")
        #expect(facts.classes.first?.range == range(5, 1, 5, 8))
    }

    @Test func crlfAndLoneCRAreLineBreaks() throws {
        let facts = try facts("import a\r\nimport b\rclass C:\r\n    pass\r\n")
        #expect(facts.imports.map(\.range.line) == [1, 2])
        #expect(facts.classes.first?.range == range(3, 1, 3, 8))
        #expect(facts.classes.first?.bodyRange == range(3, 1, 4, 9))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let facts = try facts(bytes: [0xEF, 0xBB, 0xBF] + Array("import a\n".utf8))
        #expect(facts.imports.first?.range == range(1, 8, 1, 9))
    }

    @Test func finalLineWithoutNewline() throws {
        let facts = try facts("def f():\n    import a")
        #expect(facts.imports.first?.kind == .function)
        #expect(facts.functions.first?.bodyRange == range(1, 1, 2, 13))
    }

    @Test func tabsIndentToMultiplesOfEight() throws {
        // A tab and eight spaces are the same level when used consistently line by line.
        let facts = try facts("if x:\n\tif y:\n\t\timport a\n\telse:\n\t\timport b\n")
        #expect(facts.imports.map(\.module) == ["a", "b"])
    }

    @Test func inconsistentTabsAreAnError() {
        let error = syntaxError("if x:\n\tpass\n        pass\n")
        #expect(error?.message == "inconsistent use of tabs and spaces in indentation")
        #expect(error?.line == 3)
    }

    @Test func formFeedResetsIndentation() throws {
        let facts = try facts("import a\n\u{0C}import b\nif x:\n\u{0C}    import c\n")
        #expect(facts.imports.map(\.module) == ["a", "b", "c"])
    }

    @Test func commentsAndBlankLinesDoNotAffectBlocks() throws {
        let facts = try facts("if x:\n# outdented comment\n\n    import a\n        # deeper comment\n    import b\n")
        #expect(facts.imports.map(\.kind) == [.runtime, .runtime])
    }

    @Test func nonASCIIIdentifiersAndColumnsInCodePoints() throws {
        let facts = try facts("é = 'ü'; import naïve\nclass Ünïcode: pass\n")
        #expect(facts.imports.first?.range == range(1, 17, 1, 22))
        #expect(facts.classes.first?.name == "Ünïcode")
        #expect(facts.classes.first?.range == range(2, 1, 2, 14))
        #expect(facts.assignments.first?.name == "é")
    }

    @Test func latin1CodingCountsBytes() throws {
        let source = Array("# -*- coding: latin-1 -*-\nx = '".utf8) + [0xE9] + Array("'; import a\n".utf8)
        let facts = try facts(bytes: source)
        #expect(facts.imports.first?.range == range(2, 17, 2, 18))
    }

    /// Names are matched against a file's imports and a method's receiver byte by byte where the file is UTF-8,
    /// and as decoded text where it is not: a non-ASCII name is found either way, and a longer name is not.
    @Test(arguments: [
        Array("import naïve as né\nné.x\nclass C:\n    def m(sélf):\n        sélf.items.append(1)\n        sélfish.items.append(2)\n".utf8),
        Array("# -*- coding: latin-1 -*-\nimport na".utf8) + [0xEF] + Array("ve as n".utf8) + [0xE9] + Array("\nn".utf8) + [0xE9]
            + Array(".x\nclass C:\n    def m(s".utf8) + [0xE9] + Array("lf):\n        s".utf8) + [0xE9]
            + Array("lf.items.append(1)\n        s".utf8) + [0xE9] + Array("lfish.items.append(2)\n".utf8),
    ])
    func nonASCIINamesAreMatchedInEitherEncoding(source: [UInt8]) throws {
        let facts = try facts(bytes: source)
        #expect(facts.attributeUses.map(\.base) == ["né"])
        #expect(facts.attributeUses.map(\.path) == [["x"]])
        #expect(facts.memberMutations.map(\.receiver) == ["sélf"])
        #expect(facts.memberMutations.map(\.attribute) == ["items"])
        #expect(facts.memberMutations.map(\.kind) == [.methodCall("append")])
    }

    @Test func trailingSemicolonCountsTowardsTheBlockEnd() throws {
        let facts = try facts("class A:\n    x = 1;\n")
        #expect(facts.classes.first?.bodyRange == range(1, 1, 2, 11))
    }
}

@Suite struct SoftKeywordTests {
    @Test func matchStatementBlocks() throws {
        let facts = try facts(
            """
            match command:
                case [x, y]:
                    import a
                case {"k": v} if v: import b
                case _:
                    class C: pass

            """)
        #expect(facts.imports.map(\.module) == ["a", "b"])
        #expect(facts.classes.map(\.qualifiedName) == ["C"])
    }

    @Test func matchAndCaseAsPlainNames() throws {
        let facts = try facts("match = 1\nmatch(x)\ncase = [match]\nmatch[0]: int = 2\ntype = 3\n")
        #expect(facts.assignments.map(\.name) == ["match", "case", "type"])
    }

    @Test func typeAliasStatementIsNotAnAssignment() throws {
        let facts = try facts("type Point = tuple[float, float]\ntype Pair[T] = tuple[T, T]\nx = 1\n")
        #expect(facts.assignments.map(\.name) == ["x"])
    }

    @Test func asyncStatementsAndWalrus() throws {
        let facts = try facts(
            """
            async def f(session):
                async with session as s:
                    async for item in s:
                        if (n := len(item)) > 1:
                            import a

            """)
        #expect(facts.functions.first?.isAsync == true)
        #expect(facts.functions.first?.range == range(1, 7, 1, 12))
        #expect(facts.functions.first?.bodyRange.column == 1)
        #expect(facts.functions.first?.assignedNames.map(\.name) == ["s", "item", "n"])
        #expect(facts.imports.first?.kind == .function)
    }

    @Test func lambdaColonsDoNotEndHeaders() throws {
        let facts = try facts(
            "if lambda: 1:\n    import a\nwhile lambda x=lambda: 0: x:\n    import b\nf = lambda x=1: x\n")
        #expect(facts.imports.map(\.module) == ["a", "b"])
        #expect(facts.assignments.map(\.name) == ["f"])
    }
}

/// A position's line, found from its block's line, is the one a search of the line table finds.
@Suite struct SourceBufferLineTests {
    @Test(arguments: [
        "", "x = 1\n", "\n\n\n", "a\r\nb\rc\nd", String(repeating: "long_name_", count: 40) + "\n" + String(repeating: "y\n", count: 200),
        "\u{FEFF}x = 'naïve'\r\n" + String(repeating: "é", count: 70) + "\n\n" + String(repeating: "z = 1\n", count: 30),
    ])
    func lineOfEveryOffsetIsTheSearchedLine(text: String) {
        let source = Array(text.utf8)
        let start = source.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var lineStarts = [start]
        var k = start
        while k < source.count {
            if source[k] == 0x0D && k + 1 < source.count && source[k + 1] == 0x0A { k += 1 }
            if source[k] == 0x0A || source[k] == 0x0D { lineStarts.append(k + 1) }
            k += 1
        }
        let buffer = SourceBuffer(bytes: source + [0, 0, 0, 0], count: source.count, lineStarts: lineStarts, countCodePoints: true)
        for offset in 0...source.count {
            #expect(buffer.line(of: offset) == LineIndex.line(of: offset, lineStarts: lineStarts), "offset \(offset)")
            let position = buffer.position(of: offset)
            #expect(position.line == LineIndex.line(of: offset, lineStarts: lineStarts))
            let lineStart = lineStarts[position.line - 1]
            let column = offset <= lineStart ? offset - lineStart + 1 : 1 + source[lineStart..<offset].count { $0 & 0xC0 != 0x80 }
            #expect(position.column == column, "offset \(offset)")
        }
    }
}
