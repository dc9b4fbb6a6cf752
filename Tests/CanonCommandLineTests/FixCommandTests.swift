import Canon
import Foundation
import Testing

@Suite struct FixCommandTests {
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

    /// SARIF results of fixable findings carry their replacements (regions in the code points `columnKind`
    /// declares), cold and from a warm cache alike; applied to each file they give what `canon fix` writes.
    @Test func sarifFixesApplyAsCanonFixWrites() throws {
        let tree = try TemporaryTree(fixture: "fixable_fragmented_import")
        defer { tree.remove() }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("canon-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let arguments = ["scan", tree.path(), "--select", "fragmented_import", "--format", "sarif", "--cache-dir", cache]
        let cold = runCanon(arguments)
        let warm = runCanon(arguments)
        #expect(cold.code == 1, "\(cold.stderr)")
        #expect(warm.stdout == cold.stdout, "findings reused from the cache carry the same fixes")
        if let validator = sharedTool("validate-sarif") {
            try cold.stdout.write(toFile: tree.path("report.sarif"), atomically: true, encoding: .utf8)
            let validated = try runProcess(validator, [tree.path("report.sarif")])
            #expect(validated.status == 0, "\(validated.output)")
        }

        let log = try #require(try JSONSerialization.jsonObject(with: Data(cold.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let results = try #require(run["results"] as? [[String: Any]])
        var edits: [String: [TextEdit]] = [:]
        var unfixed: [String] = []
        for result in results {
            let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let path = try #require((location["artifactLocation"] as? [String: Any])?["uri"] as? String)
            guard let fixes = result["fixes"] as? [[String: Any]] else {
                unfixed.append(path)
                continue
            }
            #expect(fixes.count == 1)
            #expect((fixes[0]["description"] as? [String: Any])?["text"] as? String == "Import 'Order' from shop instead of shop.models")
            for change in try #require(fixes[0]["artifactChanges"] as? [[String: Any]]) {
                let artifact = try #require(change["artifactLocation"] as? [String: Any])
                #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
                let file = try #require(artifact["uri"] as? String)
                for replacement in try #require(change["replacements"] as? [[String: Any]]) {
                    let region = try #require(replacement["deletedRegion"] as? [String: Int])
                    let range = SourceRange(
                        line: try #require(region["startLine"]), column: try #require(region["startColumn"]),
                        endLine: try #require(region["endLine"]), endColumn: try #require(region["endColumn"]))
                    let text = (replacement["insertedContent"] as? [String: Any])?["text"] as? String ?? ""
                    edits[file, default: []].append(TextEdit(path: file, range: range, replacement: text))
                }
            }
        }
        #expect(unfixed == ["billing/whole.py"])
        #expect(edits.keys.sorted() == ["billing/credit.py", "billing/refund.py", "billing/split.py"])
        var applied: [String: String] = [:]
        for (path, fileEdits) in edits {
            let original = ScalarText(try String(contentsOfFile: tree.path(path), encoding: .utf8))
            let fixed: String = try #require(original.applying(fileEdits), "\(path): the replacements overlap or lie outside the file")
            applied[path] = fixed
        }
        #expect(applied["billing/refund.py"] == "label = \"🛒 refund\"; from shop import Order\n")

        let fix = runCanon(["fix", tree.path(), "--select", "fragmented_import"])
        #expect(fix.code == 0, "\(fix.stderr)")
        for (path, text) in applied {
            #expect(try String(contentsOfFile: tree.path(path), encoding: .utf8) == text, "\(path)")
        }
    }
}
