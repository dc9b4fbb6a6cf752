import CanonCore
import CanonSingletons
import Testing

@Suite struct LazyGlobalSingletonDetectorTests {
    @Test func namesEveryRebindingFunctionAndPointsAtThePlaceholder() throws {
        let file = Facts.file("app/clients.py") {
            $0.assignments = [
                Facts.assignment("_client", .immutableLiteral, line: 1),
                Facts.assignment("_client", .call("Client"), line: 2),
            ]
            $0.functions = [
                Facts.function("get_client", line: 4, globals: ["_client"], assigned: [("_client", 7)], returns: ["_client"]),
                Facts.function("Pool.reset", line: 10, className: "Pool", parameters: ["self"], globals: ["_client"], assigned: [("_client", 12)]),
                Facts.function("peek", line: 14, globals: ["_client"], returns: ["_client"]),
            ]
        }
        let violations = LazyGlobalSingletonDetector.violations([file])
        let violation = try #require(violations.first)
        #expect(violations.count == 1)
        #expect(violation.location == SourceLocation(path: "app/clients.py", range: Facts.at(1, 1, length: 7)))
        #expect(violation.message.contains("get_client() and Pool.reset() rebind it through 'global'"))
        #expect(violation.subject == "app.clients._client")
        #expect(violation.related.map(\.location.range.line) == [7, 12])
    }

    @Test func aLocalOfTheSameNameOrAGlobalThatOnlyReadsIsNotASingleton() {
        let file = Facts.file("m.py") {
            $0.assignments = [Facts.assignment("_cache", .mutableLiteral, line: 1)]
            $0.functions = [
                Facts.function("build", line: 3, assigned: [("_cache", 4)]),
                Facts.function("show", line: 6, globals: ["_cache"], returns: ["_cache"]),
            ]
        }
        #expect(LazyGlobalSingletonDetector.violations([file]).isEmpty)
    }

    @Test func aNameFirstBoundToAnObjectOrACountIsNotAPlaceholder() {
        let file = Facts.file("m.py") {
            $0.assignments = [
                Facts.assignment("_pool", .call("Pool"), line: 1), Facts.assignment("_count", .immutableLiteral, line: 2, text: "0"),
                Facts.assignment("_names", .mutableLiteral, line: 3, text: "{'a': 1}"),
            ]
            $0.functions = [
                Facts.function("reset", line: 5, globals: ["_pool", "_count", "_names"], assigned: [("_pool", 7), ("_count", 8), ("_names", 9)])
            ]
        }
        #expect(LazyGlobalSingletonDetector.violations([file]).isEmpty)
    }

    @Test(arguments: ["None", "{}", "[]", "()", "set()", "dict()", "list()", "''"])
    func placeholders(_ text: String) {
        let file = Facts.file("m.py") {
            $0.assignments = [Facts.assignment("_x", .other, line: 1, text: text)]
            $0.functions = [Facts.function("get", line: 3, globals: ["_x"], assigned: [("_x", 5)])]
        }
        #expect(LazyGlobalSingletonDetector.violations([file]).count == 1)
    }

    @Test func aContainerFilledInPlaceIsACacheLeftToGlobalStateMutation() {
        let file = Facts.file("m.py") {
            $0.assignments = [Facts.assignment("_cache", .mutableLiteral, line: 1), Facts.assignment("_engine", .immutableLiteral, line: 2)]
            $0.functions = [
                Facts.function("get", line: 4, parameters: ["k"]),
                Facts.function("reset", line: 8, globals: ["_cache", "_engine"], assigned: [("_cache", 10), ("_engine", 11)]),
            ]
            $0.mutations = [
                Facts.mutation("_cache", .subscriptAssign, in: "get", line: 5),
                Facts.mutation("_engine", .methodCall("update"), in: "get", line: 6),
            ]
        }
        #expect(LazyGlobalSingletonDetector.violations([file]).map(\.location.range.line) == [2])
        #expect(GlobalStateMutationDetector.violations([file]).map(\.location.range.line) == [5, 10])
    }
}
