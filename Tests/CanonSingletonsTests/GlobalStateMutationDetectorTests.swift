import CanonCore
import CanonSingletons
import Testing

@Suite struct GlobalStateMutationDetectorTests {
    @Test func oneFindingPerFunctionAndNameAtTheFirstSite() {
        let file = Facts.file("app/state.py") {
            $0.assignments = [
                Facts.assignment("_seen", .call("collections.defaultdict"), line: 1),
                Facts.assignment("_count", .call("int"), line: 2),
            ]
            $0.functions = [
                Facts.function("track", line: 4, parameters: ["key"], globals: ["_count"], assigned: [("_count", 8)]),
            ]
            $0.mutations = [
                Facts.mutation("_seen", .subscriptAssign, in: "track", line: 6),
                Facts.mutation("_seen", .methodCall("pop"), in: "track", line: 7),
                Facts.mutation("_seen", .methodCall("clear"), in: nil, line: 10),
            ]
        }
        let violations = GlobalStateMutationDetector.violations([file])
        #expect(violations.map(\.location.range.line) == [6, 8])
        #expect(violations.first?.message.hasPrefix("track() assigns an item of module-level container '_seen'") == true)
        #expect(violations.last?.message.hasPrefix("track() rebinds module variable '_count' through 'global'") == true)
        #expect(Set(violations.map(\.subject)) == ["app.state.track:_seen", "app.state.track:_count"])
    }

    @Test func parametersLocalsAndClosureVariablesShadowTheModuleName() {
        let file = Facts.file("m.py") {
            $0.assignments = [Facts.assignment("items", .mutableLiteral, line: 1)]
            $0.functions = [
                Facts.function("a", line: 3, parameters: ["items"]),
                Facts.function("b", line: 5, assigned: [("items", 6)]),
                Facts.function("outer", line: 8, assigned: [("items", 9)]),
                Facts.function("outer.<locals>.inner", line: 10),
                Facts.function("outer.<locals>.Local.method", line: 12, className: "outer.<locals>.Local", parameters: ["self"]),
                Facts.function("c", line: 14, globals: ["items"]),
                Facts.function("c.<locals>.d", line: 15),
            ]
            $0.mutations = [
                Facts.mutation("items", .methodCall("append"), in: "a", line: 4),
                Facts.mutation("items", .methodCall("append"), in: "b", line: 7),
                Facts.mutation("items", .subscriptDelete, in: "outer.<locals>.inner", line: 11),
                Facts.mutation("items", .methodCall("add"), in: "outer.<locals>.Local.method", line: 13),
                Facts.mutation("items", .methodCall("extend"), in: "c", line: 16),
            ]
        }
        #expect(GlobalStateMutationDetector.violations([file]).map(\.location.range.line) == [16])
    }

    @Test func followsImportsToTheModuleThatOwnsTheContainer() {
        let registry = Facts.file("app/registry.py") {
            $0.assignments = [Facts.assignment("HANDLERS", .mutableLiteral, line: 1), Facts.assignment("NAMES", .immutableLiteral, line: 2)]
        }
        let reexport = Facts.file("app/__init__.py") { $0.imports = [Facts.fromImport("app.registry", "HANDLERS", line: 1)] }
        let user = Facts.file("app/use.py") {
            $0.imports = [
                Facts.fromImport("app", "HANDLERS", as: "handlers", line: 1), Facts.fromImport("app.registry", "NAMES", line: 2),
                Facts.fromImport("os", "environ", line: 3),
            ]
            $0.functions = [Facts.function("register", line: 5, parameters: ["h"])]
            $0.mutations = [
                Facts.mutation("handlers", .methodCall("append"), in: "register", line: 6),
                Facts.mutation("NAMES", .methodCall("append"), in: "register", line: 7),
                Facts.mutation("environ", .subscriptAssign, in: "register", line: 8),
            ]
        }
        let violations = GlobalStateMutationDetector.violations([registry, reexport, user])
        #expect(violations.map(\.location.range.line) == [6])
        #expect(violations.first?.message.contains("'handlers' (from app.registry)") == true)
    }

    @Test func lazyPlaceholdersAreLeftToLazyGlobalSingleton() {
        let file = Facts.file("m.py") {
            $0.assignments = [Facts.assignment("_engine", .immutableLiteral, line: 1)]
            $0.functions = [Facts.function("engine", line: 3, globals: ["_engine", "_made"], assigned: [("_engine", 5), ("_made", 6)])]
        }
        #expect(GlobalStateMutationDetector.violations([file]).map(\.location.range.line) == [6])
    }
}
