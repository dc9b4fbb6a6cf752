import CanonCore
import Testing

@testable import CanonPython

@Suite struct AssignmentTests {
    @Test(arguments: [
        ("Manager()", ValueKind.call("Manager")),
        ("logging.getLogger(__name__)", .call("logging.getLogger")),
        ("Other", .alias("Other")),
        ("pkg.mod.Other", .alias("pkg.mod.Other")),
        ("(pkg.Other)", .alias("pkg.Other")),
        ("{}", .mutableLiteral),
        ("[]", .mutableLiteral),
        ("{1: 2}", .mutableLiteral),
        ("{1, 2}", .mutableLiteral),
        ("[x for x in y]", .mutableLiteral),
        ("{k: v for k, v in y}", .mutableLiteral),
        ("42", .immutableLiteral),
        ("-1.5e3", .immutableLiteral),
        ("'text'", .immutableLiteral),
        ("b'bytes'", .immutableLiteral),
        ("f'{x}'", .immutableLiteral),
        ("'a' 'b'", .immutableLiteral),
        ("None", .immutableLiteral),
        ("True", .immutableLiteral),
        ("...", .immutableLiteral),
        ("()", .immutableLiteral),
        ("(1, 'a', None)", .immutableLiteral),
        ("1, 2", .immutableLiteral),
        ("(1, [])", .other),
        ("(x for x in y)", .other),
        ("a + b", .other),
        ("f()()", .other),
        ("f().x", .other),
        ("[1][0]", .other),
        ("lambda: 0", .other),
        ("x if y else z", .other),
    ])
    func valueKinds(value: String, kind: ValueKind) throws {
        let facts = try facts("X = \(value)\n")
        #expect(facts.assignments.map(\.value) == [kind])
    }

    @Test func targetsChainsAnnotationsAndAugmented() throws {
        let facts = try facts(
            """
            a, b = 1, []
            c = d = {}
            e: int = 1
            f: int
            g += 2
            h.attr = 3
            i[0] = 4
            [j, *k] = stuff

            """)
        #expect(facts.assignments.map(\.name) == ["a", "b", "c", "d", "e", "g", "j", "k"])
        #expect(facts.assignments.map(\.value) == [
            .immutableLiteral, .mutableLiteral, .mutableLiteral, .mutableLiteral, .immutableLiteral,
            .immutableLiteral, .other, .other,
        ])
        #expect(facts.assignments[4].isAnnotated && facts.assignments[4].annotation == "int")
        #expect(facts.assignments[5].isAugmented)
        #expect(facts.assignments[1].range == range(1, 4, 1, 5))
        #expect(facts.assignments[1].statementRange == range(1, 1, 1, 13))
        #expect(facts.assignments.map(\.valueText) == ["1, []", "1, []", "{}", "{}", "1", "2", "stuff", "stuff"])
    }

    @Test func valueTextIsFoldedAndExcludesComments() throws {
        let facts = try facts("_client: Optional[Client] = None  # set lazily\nregistry = Registry(\n    name='x',\n)\n")
        #expect(facts.assignments.map(\.valueText) == ["None", "Registry(name='x',)"])
    }

    @Test func aLongValueIsCutAsTheFactsKeepIt() throws {
        // A value of generated data, over many lines, folded: its text is cut after `ValueText.limit` bytes,
        // whether it folds to itself (one line) or not (several).
        let items = (0..<400).map { "'key\($0)': [\($0), 'é\($0)']" }
        let oneLine = "{" + items.joined(separator: ", ") + "}"
        let manyLines = "{\n    " + items.joined(separator: ",\n    ") + ",\n}"
        let foldedManyLines = "{" + items.joined(separator: ", ") + ",}"
        let parsed = try facts("DATA = \(oneLine)\nMORE = \(manyLines)\nclass K:\n    table = \(manyLines)\n")
        #expect(parsed.assignments.map(\.valueText) == [ValueText.capped(oneLine), ValueText.capped(foldedManyLines)])
        #expect(parsed.assignments[0].valueText?.hasSuffix(ValueText.cutMark) == true)
        #expect(parsed.classAttributes.map(\.valueText) == [ValueText.capped(foldedManyLines)])
        // A string literal of megabytes, cut inside the literal.
        let literal = "\"" + String(repeating: "a", count: 1 << 20) + "\""
        let huge = try facts("BLOB = \(literal)\n")
        #expect(huge.assignments.first?.valueText == ValueText.capped(literal))
        // Folding stops inside a character of three bytes, wherever it falls against the limit.
        for pad in (ValueText.limit - 4)...ValueText.limit {
            let text = "\"" + String(repeating: "a", count: pad) + "€€€€\""
            #expect(try facts("S = \(text)\n").assignments.first?.valueText == ValueText.capped(text))
        }
    }

    @Test func moduleLevelIncludesBlocksButNotDefinitions() throws {
        let facts = try facts(
            """
            try:
                A = 1
            except ImportError:
                A = None
            if x:
                B = []
            def f():
                C = 1
            class K:
                D = 2

            """)
        #expect(facts.assignments.map(\.name) == ["A", "A", "B"])
    }

    @Test func classAttributes() throws {
        let facts = try facts(
            """
            class K:
                x = 1
                y: list = field(default_factory=list)
                z: int
                def m(self):
                    w = 2
                class Inner:
                    v = []

            """)
        #expect(facts.classAttributes.map(\.name) == ["x", "y", "v"])
        #expect(facts.classAttributes.map(\.className) == ["K", "K", "K.Inner"])
        #expect(facts.classAttributes[1].valueText == "field(default_factory=list)")
        #expect(facts.classAttributes[1].annotation == "list")
        #expect(facts.classAttributes[1].value == .call("field"))
        #expect(facts.classAttributes[2].value == .mutableLiteral)
    }
}

@Suite struct DunderAllTests {
    @Test func noDunderAll() throws {
        #expect(try facts("x = 1\n").dunderAll == nil)
    }

    @Test func literalListAndTuple() throws {
        #expect(try facts("__all__ = ['a', \"b\"]\n").dunderAll == ["a", "b"])
        #expect(try facts("__all__ = ('a',)\n").dunderAll == ["a"])
        #expect(try facts("__all__: list[str] = []\n").dunderAll == [])
    }

    @Test func extensions() throws {
        let facts = try facts(
            """
            __all__ = ['a']
            __all__ += ['b', 'c']
            __all__.append('d')
            __all__.extend(('e', 'f'))
            if x:
                __all__ += ['g']
            def f():
                __all__.append('not module level')

            """)
        #expect(facts.dunderAll == ["a", "b", "c", "d", "e", "f", "g"])
    }

    @Test func concatenationKeepsTheLiteralParts() throws {
        #expect(try facts("__all__ = ['a'] + other.__all__ + ['b']\n").dunderAll == ["a", "b"])
    }
}
