import Canon
import Foundation
import Testing

/// The JSON report of `canon scan ARGS --format json`, with its exit code.
private func jsonScan(_ arguments: [String]) throws -> (code: Int32, report: [String: Any]) {
    let run = runCanon(["scan"] + arguments + ["--format", "json"])
    let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
    return (run.code, report)
}

private func summary(_ report: [String: Any]) -> [String: Int] { report["summary"] as? [String: Int] ?? [:] }

private func sites(_ report: [String: Any], _ key: String = "findings") -> [String] {
    (report[key] as? [[String: Any]] ?? []).map { "\($0["path"]!) \($0["subject"]!)" }.sorted()
}

@Suite struct BaselineCommandTests {
    @Test func aBaselinedTreeStillMatchesAfterEditsAndReportsFixedAsStaleAndNewAsNew() throws {
        let tree = try TemporaryTree(fixture: "baselined_legacy")
        defer { tree.remove() }
        let recorded = runCanon(["baseline", tree.path()])
        #expect(recorded.code == 0)
        #expect(recorded.stderr.contains("recorded 5 findings"))
        let baseline = tree.path(Baseline.defaultFileName)
        #expect(FileManager.default.fileExists(atPath: baseline))

        var (code, report) = try jsonScan([tree.path(), "--baseline", baseline])
        #expect(code == 0)
        #expect(summary(report)["findings"] == 0)
        #expect(summary(report)["baselined"] == 5)
        #expect(summary(report)["stale"] == 0)

        // Ten lines above a finding, an unrelated file renamed, definitions reordered.
        let shop = try String(contentsOfFile: tree.path("shop/money.py"), encoding: .utf8)
        try tree.write("shop/money.py", String(repeating: "# note\n", count: 10) + shop)
        try FileManager.default.moveItem(atPath: tree.path("shop/util.py"), toPath: tree.path("shop/helpers.py"))
        try tree.write("legacy/money.py", """
            \"\"\"The old billing module, still imported by the reports.\"\"\"


            _rates = None


            def get_rates():
                global _rates
                if _rates is None:
                    _rates = {"EUR": 1}
                return _rates


            class Tax:
                rate = 0


            def format_money(value):
                return f"{value:.2f}"


            class Money:
                amount = 0


            def round_cents(value):
                return round(value, 2)

            """)
        (code, report) = try jsonScan([tree.path(), "--baseline", baseline])
        #expect(code == 0)
        #expect(summary(report)["findings"] == 0, "\(sites(report))")
        #expect(summary(report)["baselined"] == 5)
        #expect(summary(report)["stale"] == 0, "\(sites(report, "stale"))")

        // Tax fixed (one home left); a third home for Money is new.
        let legacy = try String(contentsOfFile: tree.path("legacy/money.py"), encoding: .utf8)
        try tree.write("legacy/money.py", legacy.replacingOccurrences(of: "class Tax:\n    rate = 0\n", with: ""))
        try tree.write("extra/money.py", "class Money:\n    amount = 0\n")
        (code, report) = try jsonScan([tree.path(), "--baseline", baseline])
        #expect(code == 1)
        #expect(sites(report) == ["extra/money.py extra.money.Money"])
        #expect((report["findings"] as? [[String: Any]])?.first?["status"] as? String == "new")
        #expect(sites(report, "stale") == ["legacy/money.py legacy.money.Tax", "shop/money.py shop.money.Tax"])
        #expect(summary(report)["baselined"] == 3)
        #expect(summary(report)["stale"] == 2)

        // Stale entries fail only when strict; the text report lists them.
        let lenient = runCanon(["scan", tree.path(), "--baseline", baseline, "--fail-on", "never"])
        #expect(lenient.code == 0)
        #expect(lenient.stdout.contains("shop/money.py: stale: baseline entry"))
        #expect(lenient.stdout.contains("3 baselined, 2 stale baseline entries."))
        let strict = runCanon(["scan", tree.path(), "--baseline", baseline, "--fail-on", "never", "--baseline-strict"])
        #expect(strict.code == 1)

        // --show-suppressed lists the baselined findings with their status.
        (code, report) = try jsonScan([tree.path(), "--baseline", baseline, "--show-suppressed"])
        let statuses = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
        #expect(statuses.sorted() == ["baselined", "baselined", "baselined", "new"])

        // --update drops the stale entries and adds none: the new finding stays new.
        let updated = runCanon(["baseline", tree.path(), "--update"])
        #expect(updated.code == 0)
        #expect(updated.stderr.contains("dropped 2 stale entries"))
        (code, report) = try jsonScan([tree.path(), "--baseline", baseline])
        #expect(sites(report) == ["extra/money.py extra.money.Money"])
        #expect(summary(report)["stale"] == 0)
        #expect(summary(report)["baselined"] == 3)
    }

    @Test func sarifOfABaselinedScanHoldsOnlyNewResultsAndIsValid() throws {
        let tree = try TemporaryTree(fixture: "baselined_legacy")
        defer { tree.remove() }
        #expect(runCanon(["baseline", tree.path(), "--output", tree.path("known.json")]).code == 0)
        try tree.write("extra/money.py", "class Money:\n    amount = 0\n")
        try tree.write("shop/tax.py", "class Rate:  # canon: ignore[DUP001] -- moving in 2.0\n    pass\n")
        try tree.write("legacy/tax.py", "class Rate:\n    pass\n")
        let run = runCanon(["scan", tree.path(), "--baseline", tree.path("known.json"), "--format", "sarif"])
        #expect(run.code == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sarifRun = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(sarifRun["results"] as? [[String: Any]])
        let paths = results.compactMap {
            ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"]
                as? [String: Any])?["uri"] as? String
        }
        #expect(paths.sorted() == ["extra/money.py", "legacy/tax.py"])
        #expect(sarifRun["properties"] as? [String: Int] == ["suppressed": 1, "baselined": 5, "stale": 0])
        if let validator = sharedTool("validate-sarif") {
            let file = tree.path("out.sarif")
            try run.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let validated = try runProcess(validator, [file])
            #expect(validated.status == 0, "\(validated.output)")
        }
    }

    @Test func theBaselineFileIsSortedStableAndVersionedAndThePolicyNamesIt() throws {
        let tree = try TemporaryTree(fixture: "baselined_legacy")
        defer { tree.remove() }
        try tree.write(".canon.yml", "baseline: ci/canon-baseline.json\n")
        try FileManager.default.createDirectory(atPath: tree.path("ci"), withIntermediateDirectories: true)
        #expect(runCanon(["baseline", tree.path()]).code == 0)
        let file = tree.path("ci/canon-baseline.json")
        let first = try String(contentsOfFile: file, encoding: .utf8)
        #expect(runCanon(["baseline", tree.path()]).code == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == first)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let keys = first.split(separator: "\n").filter { $0.hasPrefix("    \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys.count == 5)
        #expect(keys == keys.sorted())
        #expect(!first.contains("\"line\""))
        let (code, report) = try jsonScan([tree.path()])
        #expect(code == 0)
        #expect(summary(report)["baselined"] == 5)
    }

    @Test func aBrokenOrMissingBaselineIsAClearError() throws {
        let tree = try TemporaryTree(fixture: "baselined_legacy")
        defer { tree.remove() }
        let missing = runCanon(["scan", tree.path(), "--baseline", tree.path("nope.json")])
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("nope.json' does not exist; record one with 'canon baseline --output"))
        try tree.write("bad.json", "{\"version\": 1}")
        let bad = runCanon(["scan", tree.path(), "--baseline", tree.path("bad.json")])
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("bad.json' is not a Canon baseline (no 'findings')"), "\(bad.stderr)")
        try tree.write("future.json", "{\"version\": 9, \"findings\": {}}")
        let future = runCanon(["scan", tree.path(), "--baseline", tree.path("future.json")])
        #expect(future.stderr.contains("has version 9, but this Canon reads version 1"))
        try tree.write(".canon.yml", "baseline: 3\n")
        let policy = runCanon(["scan", tree.path()])
        #expect(policy.code == 2)
    }

    @Test func aScanOfOneFolderJudgesOnlyItsOwnEntries() throws {
        let tree = try TemporaryTree(fixture: "baselined_legacy")
        defer { tree.remove() }
        // The policy makes the tree the scan root when only a folder inside it is scanned.
        try tree.write(".canon.yml", "version: 1\n")
        #expect(runCanon(["baseline", tree.path()]).code == 0)
        let (code, report) = try jsonScan([tree.path("shop"), "--baseline", tree.path(Baseline.defaultFileName)])
        #expect(code == 0)
        #expect(summary(report)["baselined"] == 2)
        #expect(summary(report)["stale"] == 0)
        let selected = try jsonScan([tree.path(), "--select", "DUP001", "--baseline", tree.path(Baseline.defaultFileName)])
        #expect(summary(selected.report)["stale"] == 0)
        #expect(summary(selected.report)["baselined"] == 4)
    }
}
