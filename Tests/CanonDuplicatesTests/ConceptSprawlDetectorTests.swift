import Canon
import CanonDuplicates
import Testing

@Suite struct ConceptSprawlDetectorTests {
    static func range(_ line: Int, _ length: Int) -> SourceRange { SourceRange(line: line, column: 1, endLine: line, endColumn: 1 + length) }

    static func file(_ path: String, module: String, classes: [(String, Int)] = [], aliases: [(String, String, Int)] = []) -> FileFacts {
        var facts = FileFacts(path: path, module: module, isPackage: false, language: .python)
        facts.classes = classes.map {
            ClassFact(
                name: $0.0, qualifiedName: $0.0, bases: [], keywords: [], decorators: [], range: range($0.1, 6 + $0.0.count),
                bodyRange: range($0.1, 6 + $0.0.count), isTopLevel: true)
        }
        facts.assignments = aliases.map {
            AssignmentFact(name: $0.0, value: .alias($0.1), range: range($0.2, $0.0.count), statementRange: range($0.2, $0.0.count + 3 + $0.1.count))
        }
        return facts
    }

    let files = [
        file("app/compat.py", module: "app.compat", aliases: [("WebSocketManager", "UnifiedWebSocketManager", 3)]),
        file("app/legacy.py", module: "app.legacy", classes: [("LegacyWebSocketManager", 1), ("WebSocketManagerError", 5)]),
        file("app/ws/core.py", module: "app.ws.core", classes: [("UnifiedWebSocketManager", 7)]),
        file("app/tests/fakes.py", module: "app.tests.fakes", classes: [("FakeWebSocketManager", 1)]),
    ]

    func violations(_ concepts: [Concept], options: ConceptSprawlDetector.Options = .init()) -> [Violation] {
        ConceptSprawlDetector(options: options).detect(
            in: DetectionContext(index: ProjectIndex(files: files), settings: ProjectSettings(concepts: concepts)))
    }

    @Test func oneFindingAtTheCanonicalDefinitionListingTheOthers() throws {
        let concept = Concept(name: "websocket-manager", symbols: ["WebSocketManager"], pattern: ".*WebSocketManager", canonical: "app.ws.core")
        let found = violations([concept])
        let violation = try #require(found.first)
        #expect(found.count == 1)
        #expect(violation.location == SourceLocation(path: "app/ws/core.py", range: Self.range(7, 29)))
        #expect(violation.message.hasPrefix(
            "Found other WebSocketManager classes: [app.compat.WebSocketManager (alias of UnifiedWebSocketManager), app.legacy.LegacyWebSocketManager] outside its canonical module app.ws.core"))
        #expect(violation.related.map(\.location.path) == ["app/compat.py", "app/legacy.py"])
        #expect(violation.subject == "concept:websocket-manager")
    }

    @Test func maxDefinitionsAndTestsAreOptions() {
        let concept = Concept(name: "ws", pattern: ".*WebSocketManager", canonical: "app.ws.core")
        var options = ConceptSprawlDetector.Options()
        options.maxDefinitions = 2
        #expect(violations([concept], options: options).isEmpty)
        options.includeTests = true
        #expect(violations([concept], options: options).first?.related.count == 3)
    }

    @Test func aCanonicalModuleWithoutADefinitionReportsAtTheFirstSite() throws {
        let concept = Concept(name: "ws", pattern: ".*WebSocketManager", canonical: "app.websocket")
        let violation = try #require(violations([concept]).first)
        #expect(violation.location.path == "app/compat.py")
        #expect(violation.message.contains("and none in its canonical module app.websocket"))
        #expect(violation.related.count == 2)
    }

    @Test func patternsStandInWhenThePolicyDeclaresNoConcepts() throws {
        var options = ConceptSprawlDetector.Options()
        options.patterns = [".*WebSocketManager"]
        let violation = try #require(violations([], options: options).first)
        // With no canonical module declared, the first class in path order is the home.
        #expect(violation.location.path == "app/legacy.py")
        #expect(violation.message.hasPrefix("Found other classes matching '.*WebSocketManager': [app.compat.WebSocketManager"))
        let declared = Concept(name: "other", symbols: ["Nothing"])
        #expect(violations([declared], options: options).isEmpty)
    }
}
