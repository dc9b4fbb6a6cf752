import Canon
import Foundation
import Testing

@Suite struct ReportCommandTests {
    func sprawl() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.write("app/__init__.py", "")
        try tree.write("app/core.py", "class Manager:\n    pass\n")
        try tree.write("app/legacy.py", "from app.core import Manager\n\nOldManager = Manager\n")
        try tree.write("app/a.py", "from app.core import Manager\n")
        try tree.write("app/b.py", "from app.legacy import OldManager\n")
        return tree
    }

    @Test func reportsTheMostFragmentedSymbolsWithoutConcepts() throws {
        let tree = try sprawl()
        defer { tree.remove() }
        let run = runCanon(["report", tree.path()])
        #expect(run.code == 0)
        #expect(run.stdout.hasPrefix("The 20 most fragmented symbols (no concepts declared in the policy)\n"))
        #expect(run.stdout.contains("app.core.Manager: fragmented: 2 import paths; move the 1 file on other paths to 'from app.core import Manager'"))
        #expect(run.stdout.contains("  bound: app.legacy.OldManager (app/legacy.py:3)\n"))
    }

    @Test func reportsDeclaredConceptsAsMarkdownAndJSONToAFile() throws {
        let tree = try sprawl()
        defer { tree.remove() }
        try tree.write(".canon.yml", "concepts:\n  manager:\n    pattern: '.*Manager'\n    canonical: app.core\n")
        let markdown = runCanon(["report", tree.path(), "--format", "markdown"])
        #expect(markdown.code == 0)
        #expect(markdown.stdout.hasPrefix("# Concepts\n"))
        #expect(markdown.stdout.contains("| `manager` | 2 | 3 | fragmented: 2 import paths;"))
        let output = tree.path("report.json")
        let json = runCanon(["report", tree.path(), "--format", "json", "--output", output])
        #expect(json.code == 0)
        #expect(json.stdout.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        let concepts = try #require(object["concepts"] as? [[String: Any]])
        #expect(concepts.map { $0["name"] as? String } == ["manager"])
        #expect(concepts.first?["files"] as? [String] == ["app/a.py", "app/b.py", "app/legacy.py"])
    }

    @Test func explainAndRulesShowTheImportRules() {
        for rule in ["fragmented_import", "IMP002", "unresolved_import", "concept_footprint", "DEP001"] {
            let run = runCanon(["explain", rule])
            #expect(run.code == 0)
            #expect(run.stdout.contains("↓"))
        }
        #expect(runCanon(["explain", "IMP001"]).stdout.contains("import_kinds: which imports count"))
        let rows = runCanon(["rules"]).stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["fragmented_import", "IMP001", "imports", "warning", "warning", "yes"]))
        #expect(rows.contains(["unresolved_import", "IMP003", "imports", "error", "error", "yes"]))
        #expect(rows.contains(["deprecated_import", "DEP001", "deprecations", "warning", "warning", "yes"]))
    }
}
