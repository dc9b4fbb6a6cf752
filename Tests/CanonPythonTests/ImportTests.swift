import CanonCore
import Testing

@testable import CanonPython

@Suite struct ImportFormTests {
    @Test func plainImports() throws {
        let facts = try facts("import a.b as c, d\nimport e.f\n")
        #expect(facts.imports.count == 3)
        let first = facts.imports[0]
        #expect(first.form == .plain)
        #expect(first.module == "a.b")
        #expect(first.name == nil)
        #expect(first.alias == "c")
        #expect(first.boundName == "c")
        #expect(first.range == range(1, 8, 1, 16))
        #expect(first.statementRange == range(1, 1, 1, 19))
        #expect(facts.imports[1].range == range(1, 18, 1, 19))
        #expect(facts.imports[2].boundName == "e")
    }

    @Test func fromImportsWithParenthesesAndAliases() throws {
        let facts = try facts("from m import (\n    y as z,\n    w,\n)\n")
        #expect(facts.imports.map(\.name) == ["y", "w"])
        #expect(facts.imports.map(\.alias) == ["z", nil])
        #expect(facts.imports[0].range == range(2, 5, 2, 11))
        #expect(facts.imports[0].statementRange == range(1, 1, 4, 2))
        #expect(facts.imports.allSatisfy { $0.form == .from && $0.module == "m" && $0.level == 0 })
    }

    @Test func starImport() throws {
        let facts = try facts("from m.n import *\n")
        #expect(facts.imports.first?.name == "*")
        #expect(facts.imports.first?.boundName == nil)
        #expect(facts.imports.first?.range == range(1, 17, 1, 18))
    }

    @Test func importsInsideStringsAndCommentsAreNothing() throws {
        let facts = try facts("'''\nimport a\n'''\n# import b\nx = 'import c'\n")
        #expect(facts.imports.isEmpty)
    }
}

@Suite struct RelativeImportTests {
    @Test(arguments: [
        ("a.b.c", false, "from . import x", "a.b", ""),
        ("a.b.c", false, "from .y import z", "a.b.y", "y"),
        ("a.b.c", false, "from ..y import z", "a.y", "y"),
        ("a.b.c", false, "from ... import z", "...", ""),
        ("a.b.c", false, "from ...y import z", "...y", "y"),
        ("a.b", true, "from . import x", "a.b", ""),
        ("a.b", true, "from .. import x", "a", ""),
        ("a.b", true, "from ..c.d import x", "a.c.d", "c.d"),
        ("a.b", true, "from .... import x", "....", ""),
        ("top", false, "from .x import y", ".x", "x"),
    ])
    func resolution(module: String, isPackage: Bool, source: String, resolved: String, written: String) throws {
        let facts = try facts(source + "\n", module: module, isPackage: isPackage)
        #expect(facts.imports.first?.module == resolved)
        #expect(facts.imports.first?.writtenModule == written)
        #expect(facts.imports.first?.level == source.dropFirst(5).prefix { $0 == "." }.count)
    }
}

@Suite struct ImportKindTests {
    @Test func kinds() throws {
        let facts = try facts(
            """
            import runtime1
            if TYPE_CHECKING:
                import checking1
            else:
                import runtime2
            if typing.TYPE_CHECKING:
                from x import checking2
            if not TYPE_CHECKING:
                import runtime3
            else:
                import checking3
            try:
                import fallback1
            except ImportError:
                import fallback2
            else:
                import runtime4
            try:
                import runtime5
            except Exception:
                import runtime6
            try:
                import fallback3
            except (ValueError, ModuleNotFoundError) as error:
                pass
            class C:
                import runtime7
                def method(self):
                    import function1
            def f():
                if TYPE_CHECKING:
                    import function2
                try:
                    import function3
                except ImportError:
                    pass
                class Local:
                    import function4
            for x in y:
                with z:
                    import runtime8

            """)
        let kinds = Dictionary(uniqueKeysWithValues: facts.imports.map { ($0.boundName ?? "", $0.kind) })
        for (name, kind) in kinds {
            let expected: ImportKind =
                name.hasPrefix("runtime") ? .runtime : name.hasPrefix("checking") ? .typeChecking
                : name.hasPrefix("fallback") ? .fallback : .function
            #expect(kind == expected, "\(name)")
        }
        #expect(kinds.count == 18)
    }

    @Test func elifTypeChecking() throws {
        let facts = try facts("if x:\n    import a\nelif TYPE_CHECKING:\n    import b\nelse:\n    import c\n")
        #expect(facts.imports.map(\.kind) == [.runtime, .typeChecking, .runtime])
    }
}
