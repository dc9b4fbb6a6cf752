import CanonCore
@testable import CanonSingletons
import Testing

@Suite struct PythonShapesTests {
    /// A name defined more than once (in both branches of an `if`) has each definition, in file order.
    @Test func functionsByNameKeepsEveryDefinitionOfAName() {
        let file = Facts.file("pkg/mod.py") { facts in
            facts.functions = [
                Facts.function("f", line: 1), Facts.function("C.m", line: 3, className: "C"), Facts.function("f", line: 5),
                Facts.function("f.<locals>.g", line: 6), Facts.function("f", line: 9),
            ]
        }
        let table = PythonShapes.FunctionsByName(file)
        #expect(Array(table.offsets(of: "f")) == [0, 2, 4])
        #expect(Array(table.offsets(of: "C.m")) == [1])
        #expect(Array(table.offsets(of: "f.<locals>.g")) == [3])
        #expect(Array(table.offsets(of: "g")).isEmpty)
        #expect(Array(PythonShapes.FunctionsByName().offsets(of: "f")).isEmpty)
    }

    /// The last name of a dotted name, without call arguments or subscripts; a name ending in a dot gives
    /// its last non-empty part.
    @Test(arguments: [
        ("classmethod", "classmethod"), ("functools.lru_cache", "lru_cache"), ("functools.lru_cache(maxsize=None)", "lru_cache"),
        ("a.b.c(x.y)", "c"), ("typing.Generic[T.x]", "Generic"), ("a.b.", "b"), ("", ""), ("é.naïve(ü.x)", "naïve"),
        ("f(a.b)", "f"),
    ])
    func theLastComponentLeavesOutArgumentsAndSubscripts(dotted: String, last: String) {
        #expect(PythonShapes.lastComponent(dotted) == last)
    }

    @Test(arguments: [
        ("f.<locals>.g", "f"), ("f.<locals>.C.m", "f"), ("f.<locals>.g.<locals>.h", "f.<locals>.g"), ("C.m", nil),
        ("f", nil), (".<locals>.g", ""), ("é.<locals>.ü", "é"), ("<locals>.g", nil),
    ] as [(String, String?)])
    func theEnclosingFunctionIsBeforeTheLastLocalsMarker(function: String, enclosing: String?) {
        #expect(PythonShapes.enclosingFunction(of: function) == enclosing)
    }

    /// The byte search behind `contains` and `enclosingFunction` finds the last occurrence, by UTF-8 offset.
    @Test func theLastOccurrenceIsFoundByteByByte() {
        #expect(PythonShapes.lastOffset(of: "ab", in: "xabyab") == 4)
        #expect(PythonShapes.lastOffset(of: "aa", in: "aaa") == 1)
        #expect(PythonShapes.lastOffset(of: "é", in: "aéb") == 1)
        #expect(PythonShapes.lastOffset(of: "x", in: "é") == nil)
        #expect(PythonShapes.lastOffset(of: "abc", in: "ab") == nil)
        #expect(PythonShapes.lastOffset(of: "", in: "ab") == 2)
        #expect(PythonShapes.contains("Singleton", in: "app.BaseSingleton"))
        #expect(!PythonShapes.contains("Singleton", in: "app.singleton"))
        #expect(PythonShapes.contains("", in: ""))
    }
}
