import CanonCore
import Testing

@testable import CanonPython

@Suite struct ClassTests {
    @Test func qualifiedNamesFollowQualname() throws {
        let facts = try facts(
            """
            class Outer:
                class Inner:
                    pass
                def method(self):
                    class D:
                        pass
            def func():
                class C:
                    class Deeper: pass
            if True:
                class Guarded: pass

            """)
        #expect(
            facts.classes.map(\.qualifiedName) == [
                "Outer", "Outer.Inner", "Outer.method.<locals>.D", "func.<locals>.C", "func.<locals>.C.Deeper",
                "Guarded",
            ])
        #expect(facts.classes.map(\.isTopLevel) == [true, false, false, false, false, true])
    }

    @Test func rangeStartsAtClassKeywordNotDecorator() throws {
        let facts = try facts("@dataclass(\n    frozen=True)\n@other\nclass Point(Base):\n    x: int\n")
        let point = try #require(facts.classes.first)
        #expect(point.range == range(4, 1, 4, 12))
        #expect(point.bodyRange == range(4, 1, 5, 11))
        #expect(point.decorators == ["dataclass(frozen=True)", "other"])
    }

    @Test func basesAndKeywordsAreFolded() throws {
        let facts = try facts("class C(typing.Generic[\n    T\n], Base,  metaclass = Meta, **extra):\n    pass\n")
        let c = try #require(facts.classes.first)
        #expect(c.bases == ["typing.Generic[T]", "Base"])
        #expect(c.keywords == ["metaclass=Meta", "**extra"])
    }

    @Test func typeParametersAreSkipped() throws {
        let facts = try facts("class Box[T: int](Base): pass\n")
        #expect(facts.classes.first?.bases == ["Base"])
    }

    @Test func docstringMentionsAreNothing() throws {
        let facts = try facts("def f():\n    '''class Fake:\n    import os'''\n    return 1\n")
        #expect(facts.classes.isEmpty)
        #expect(facts.imports.isEmpty)
    }
}

@Suite struct FunctionTests {
    @Test func methodsAndNestedFunctions() throws {
        let facts = try facts(
            """
            class C:
                @staticmethod
                def method(a, /, b=1, *args, c, d: int = 2, **kwargs) -> int:
                    def inner(): return 1
                    return a + b
            def top(): pass

            """)
        #expect(facts.functions.map(\.qualifiedName) == ["C.method", "C.method.<locals>.inner", "top"])
        #expect(facts.functions.map(\.className) == ["C", nil, nil])
        #expect(facts.functions.map(\.isTopLevel) == [false, false, true])
        let method = facts.functions[0]
        #expect(method.parameters == ["a", "b", "args", "c", "d", "kwargs"])
        #expect(method.decorators == ["staticmethod"])
        #expect(method.returns == ["a + b"])
        #expect(method.range == range(3, 5, 3, 15))
        #expect(facts.functions[1].returns == ["1"])
    }

    @Test func globalsAssignedNamesAndReturns() throws {
        let facts = try facts(
            """
            def f(x):
                global A, B
                A = 1
                a, (b, *c) = x
                d += 1
                self.attr = 2
                for e, g in x: pass
                with open(x) as h, other() as (i, j): pass
                def nested():
                    k = 1
                if not x:
                    return
                return (x,
                        A)

            """)
        let f = try #require(facts.functions.first)
        #expect(f.globals.map(\.name) == ["A", "B"])
        #expect(f.globals.first?.range == range(2, 5, 2, 16))
        #expect(f.assignedNames.map(\.name) == ["A", "a", "b", "c", "d", "e", "g", "h", "i", "j"])
        #expect(f.returns == ["", "(x, A)"])
        #expect(facts.functions[1].assignedNames.map(\.name) == ["k"])
    }
}
