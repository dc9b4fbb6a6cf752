import Canon
import Foundation
import Testing

@Suite struct InfoCommandsTests {
    @Test func rulesListsIdCodeFamilySeverityAndEnabled() {
        let run = runCanon(["rules", "/nonexistent-\(UUID().uuidString)"])
        #expect(run.code == 2)
        let tree = try? TemporaryTree()
        defer { tree?.remove() }
        let listed = runCanon(["rules", tree?.path() ?? "."])
        #expect(listed.code == 0)
        let rows = listed.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["duplicate_definition", "DUP001", "duplicates", "warning", "warning", "yes"]))
        #expect(rows.contains(["stale_allowlist_entry", "LAY004", "layers", "warning", "warning", "yes"]))
    }

    @Test func explainAcceptsIdOrCodeAndSuggests() {
        let byCode = runCanon(["explain", "DUP001"])
        #expect(byCode.code == 0)
        #expect(byCode.stdout.hasPrefix("duplicate_definition (DUP001)"))
        #expect(byCode.stdout.contains("min_definitions: how many modules must define the name (at least 2) (default: 2)"))
        #expect(byCode.stdout.contains("↓class Invoice"))
        #expect(runCanon(["explain", "duplicate_definition"]).stdout == byCode.stdout)
        let wrong = runCanon(["explain", "duplicate_defnition"])
        #expect(wrong.code == 2)
        #expect(wrong.stderr.contains("did you mean 'duplicate_definition'"))
    }

    @Test func versionPrintsTheVersion() {
        let run = runCanon(["--version"])
        #expect(run.code == 0)
        #expect(run.stdout == CanonVersion.current + "\n")
    }

    @Test func factsDumpsJSON() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("pkg/__init__.py", "from .mod import Thing\n__all__ = ['Thing']\n")
        try tree.write("pkg/mod.py", "class Thing:\n    pass\n")
        let run = runCanon(["facts", tree.path()])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.map { $0["module"] as? String } == ["pkg", "pkg.mod"])
    }
}
