import Canon
import Foundation
import Testing

@Suite struct FixCommandTests {
    /// A shim package that warns on import, its real home, an importer that can be fixed and one that cannot.
    private func shimTree() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.write(".canon.yml", "")
        try tree.write("app/__init__.py", "")
        try tree.write("app/real.py", "class Order:\n    pass\n")
        try tree.write("app/shim.py", "import warnings\n\nwarnings.warn('use app.real', DeprecationWarning)\n\nfrom app.real import Order\n")
        try tree.write("app/user.py", "import os\nfrom app.shim import Order\n")
        try tree.write("app/whole.py", "import app.shim as m\n\nx = m.Order\n")
        return tree
    }

    @Test func diffPrintsTheChangeWritesNothingAndExitsOne() throws {
        let tree = try shimTree()
        defer { tree.remove() }
        let run = runCanon(["fix", "--diff", tree.path()])
        #expect(run.code == 1)
        #expect(run.stdout.hasPrefix(
            "--- a/app/user.py\n+++ b/app/user.py\n@@ -1,2 +1,2 @@\n import os\n-from app.shim import Order\n+from app.real import Order\n"))
        #expect(run.stdout.contains("app/whole.py:1:8: deprecated_import: not fixable: a plain import binds the module itself"))
        #expect(run.stderr.contains("would fix 1 finding in 1 file; 2 not fixable; 1 fixable remaining"))
        #expect(try String(contentsOfFile: tree.path("app/user.py"), encoding: .utf8) == "import os\nfrom app.shim import Order\n")
    }

    @Test func fixWritesAndExitsZeroWhenNothingFixableRemains() throws {
        let tree = try shimTree()
        defer { tree.remove() }
        let run = runCanon(["fix", tree.path()])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("fixed app/user.py (1 finding)\n"))
        #expect(try String(contentsOfFile: tree.path("app/user.py"), encoding: .utf8) == "import os\nfrom app.real import Order\n")
        #expect(runCanon(["fix", "--diff", tree.path()]).code == 0)
    }

    @Test func selectLimitsTheRulesFixed() throws {
        let tree = try shimTree()
        defer { tree.remove() }
        let run = runCanon(["fix", "--select", "duplicate_definition", tree.path()])
        #expect(run.code == 0)
        #expect(try String(contentsOfFile: tree.path("app/user.py"), encoding: .utf8) == "import os\nfrom app.shim import Order\n")
    }

    @Test func jsonFindingsSayWhetherTheyAreFixable() throws {
        let tree = try shimTree()
        defer { tree.remove() }
        let run = runCanon(["scan", tree.path(), "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let byPath = Dictionary(grouping: findings) { $0["path"] as? String ?? "" }
        #expect(byPath["app/user.py"]?.map { $0["fixable"] as? Bool } == [true])
        #expect(byPath["app/whole.py"]?.allSatisfy { $0["fixable"] as? Bool == false } == true)
        #expect(byPath["app/whole.py"]?.allSatisfy { ($0["unfixableReason"] as? String)?.isEmpty == false } == true)
    }
}
