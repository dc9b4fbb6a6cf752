import Canon
import Foundation
import Testing

@Suite struct ScanCommandTests {
    @Test func threeDefinitionsGiveThreeFindingsInText() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        let run = runCanon(["scan", tree.path()])
        #expect(run.code == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "billing/invoice.py:8:1: warning: class 'Invoice' is also defined in legacy.invoice and reports.models; keep one definition and import it [duplicate_definition]",
            "legacy/invoice.py:2:1: warning: class 'Invoice' is also defined in billing.invoice and reports.models; keep one definition and import it [duplicate_definition]",
            "reports/models.py:4:1: warning: class 'Invoice' is also defined in billing.invoice and legacy.invoice; keep one definition and import it [duplicate_definition]",
            "Scanned 6 files: 3 findings (3 warnings).",
        ])
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        let run = runCanon(["scan", tree.path(), "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect((object["tool"] as? [String: Any])?["name"] as? String == "canon")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["files"] == 6 && summary["findings"] == 3 && summary["errors"] == 0)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 3)
        let first = findings[0]
        #expect(first["rule"] as? String == "duplicate_definition")
        #expect(first["code"] as? String == "DUP001")
        #expect(first["severity"] as? String == "warning")
        #expect(first["path"] as? String == "billing/invoice.py")
        #expect(first["line"] as? Int == 8 && first["column"] as? Int == 1)
        #expect(first["endLine"] as? Int == 8 && first["endColumn"] as? Int == 14)
        let related = try #require(first["related"] as? [[String: Any]])
        #expect(related.map { $0["path"] as? String } == ["legacy/invoice.py", "reports/models.py"])
    }

    @Test func jobsDoNotChangeTheOutput() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        for index in 0..<120 {
            try tree.write("pkg\(index % 7)/mod\(index).py", "class Shared\(index % 11):\n    pass\n\nclass Own\(index):\n    pass\n")
        }
        try tree.write("broken/bad.py", "def f(:\n    '''unterminated\n")
        let one = runCanon(["scan", tree.path(), "--format", "json", "--jobs", "1"])
        let two = runCanon(["scan", tree.path(), "--format", "json", "--jobs", "2"])
        let eight = runCanon(["scan", tree.path(), "--format", "json", "--jobs", "8"])
        #expect(one.code == 1)
        #expect(one.stdout == two.stdout)
        #expect(one.stdout == eight.stdout)
    }

    @Test func failOnAndExitZeroDecideTheExitCode() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        #expect(runCanon(["scan", tree.path(), "--fail-on", "error"]).code == 0)
        #expect(runCanon(["scan", tree.path(), "--fail-on", "note"]).code == 1)
        #expect(runCanon(["scan", tree.path(), "--fail-on", "never"]).code == 0)
        #expect(runCanon(["scan", tree.path(), "--exit-zero"]).code == 0)
        #expect(runCanon(["scan", tree.path(), "--ignore", "DUP001"]).code == 0)
    }

    @Test func singleFilesAreReportedAgainstTheWholeProject() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        try FileManager.default.createDirectory(atPath: tree.path(".git"), withIntermediateDirectories: true)
        let run = runCanon(["scan", tree.path("legacy/invoice.py"), "--quiet"])
        #expect(run.stdout.split(separator: "\n").count == 1)
        #expect(run.stdout.hasPrefix("legacy/invoice.py:2:1:"))
    }

    @Test func syntaxErrorsAreReportedAndDoNotChangeTheExitCode() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("ok.py", "x = 1\n")
        try tree.write("bad.py", "x = (1,\n")
        let run = runCanon(["scan", tree.path()])
        #expect(run.code == 0)
        #expect(run.stdout.contains("bad.py:"))
        #expect(run.stdout.contains("1 file not parsed"))
    }

    @Test func usageAndPolicyErrorsExitTwo() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write(".canon.yml", "rules:\n  duplicate_defintion: {}\n")
        let run = runCanon(["scan", tree.path()])
        #expect(run.code == 2)
        #expect(run.stderr.contains(".canon.yml:2:3"))
        #expect(run.stderr.contains("did you mean 'duplicate_definition'"))
        #expect(runCanon(["scan", "--format", "xml"]).code == 2)
        #expect(runCanon(["scan", tree.path("missing")]).code == 2)
        #expect(runCanon(["scan", tree.path(), "--jobs", "0"]).code == 2)
    }

    @Test func outputsGoToFilesAtomically() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        let report = tree.path("out/report.json")
        try FileManager.default.createDirectory(atPath: tree.path("out"), withIntermediateDirectories: true)
        let run = runCanon(["scan", tree.path(), "--json-output", report, "--quiet"])
        #expect(run.stdout.split(separator: "\n").count == 3)
        let json = try String(contentsOfFile: report, encoding: .utf8)
        #expect(json.contains("\"findings\""))
        let missing = runCanon(["scan", tree.path(), "--json-output", tree.path("no/such/dir/r.json")])
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("cannot write '\(tree.path("no/such/dir/r.json"))': No such file or directory"))

        // Written again over the last report, and not over a folder; no temporary file is left behind.
        try Data("stale".utf8).write(to: URL(fileURLWithPath: report))
        #expect(runCanon(["scan", tree.path(), "--json-output", report, "--quiet"]).code == 1)
        #expect(try String(contentsOfFile: report, encoding: .utf8) == json)
        let folder = runCanon(["scan", tree.path(), "--json-output", tree.path("out"), "--quiet"])
        #expect(folder.code == 2)
        #expect(folder.stderr.contains("cannot write '\(tree.path("out"))'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("out")) == ["report.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path()).allSatisfy { !$0.contains(".canon-") })
    }

    @Test func scanRootIsTheNearestPolicyFolder() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        try tree.write(".canon.yml", "rules:\n  duplicate_definition:\n    severity: error\n")
        let run = runCanon(["scan", tree.path("billing")])
        #expect(run.stdout.hasPrefix("billing/invoice.py:8:1: error:"))
    }
}
