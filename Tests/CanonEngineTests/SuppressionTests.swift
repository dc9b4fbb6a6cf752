import Canon
import Foundation
import Testing

/// Inline suppressions as the engine applies them, and `unused_suppression` beside the rules it reviews.
@Suite struct SuppressionTests {
    private func scan(_ files: [(String, String)], policy: String = "version: 1\n", select: [String]? = nil) throws -> ScanResult {
        let registry = BuiltinRules.registry()
        let loaded = try PolicyLoader(registry: registry).load(text: policy, file: "<test>")
        return Engine.scan(
            sources: files.map { ($0.0, Array($0.1.utf8)) }, rules: try loaded.configuredRules(registry: registry, select: select),
            settings: loaded.settings)
    }

    private func sites(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.location.path):\($0.location.range.line) \($0.rule)" }
    }

    @Test func aSuppressionSilencesItsLineAndTheNextByIdOrCodeAndOnlyThatSite() throws {
        let result = try scan([
            ("a.py", "# canon: ignore[duplicate_definition] -- moving\nclass Money:\n    pass\n"),
            ("b.py", "class Money:  # canon: ignore[DUP001]\n    pass\n"),
            ("c.py", "class Money:\n    pass\n"),
        ])
        #expect(sites(result.findings) == ["c.py:1 duplicate_definition"])
        #expect(sites(result.suppressed) == ["a.py:2 duplicate_definition", "b.py:1 duplicate_definition"])
        #expect(result.suppressed.allSatisfy { $0.fingerprint != nil })
    }

    @Test func aSuppressionTwoLinesAboveOrNamingAnotherRuleSilencesNothing() throws {
        let result = try scan([
            ("a.py", "# canon: ignore[duplicate_definition]\n\nclass Money:\n    pass\n"),
            ("b.py", "class Money:  # canon: ignore[shared_class_state, DUP002]\n    pass\n"),
        ])
        #expect(
            sites(result.findings) == [
                "a.py:1 unused_suppression", "a.py:3 duplicate_definition", "b.py:1 duplicate_definition",
                "b.py:1 unused_suppression", "b.py:1 unused_suppression",
            ])
        #expect(result.findings.filter { $0.location.path == "b.py" && $0.rule == "unused_suppression" }.map(\.subject).sorted()
            == ["DUP002", "shared_class_state"])
        #expect(result.suppressed.isEmpty)
    }

    @Test func fileLevelAndBareSuppressions() throws {
        let result = try scan([
            ("a.py", "X = 1\n# canon: ignore-file[duplicate_definition] -- generated\n\n\nclass Money:\n    pass\n"),
            ("b.py", "class Money:  # canon: ignore -- copied from the vendor\n    pass\n"),
            ("c.py", "class Tax:\n    pass\n# canon: ignore-file\n"),
        ])
        #expect(sites(result.findings) == ["c.py:3 unused_suppression"])
        #expect(sites(result.suppressed) == ["a.py:5 duplicate_definition", "b.py:1 duplicate_definition"])
    }

    @Test func suppressingALikeFindingLeavesTheOtherFingerprintAlone() throws {
        let files = [
            ("a.py", "class Money:\n    pass\n"), ("b.py", "class Money:\n    pass\n"),
        ]
        let plain = try scan(files)
        let suppressed = try scan([files[0], ("b.py", "class Money:  # canon: ignore[DUP001]\n    pass\n")])
        #expect(plain.findings.first { $0.location.path == "a.py" }?.fingerprint == suppressed.findings.first?.fingerprint)
    }

    @Test func unknownRulesAndMissingReasonsAreReportedAndStillSilence() throws {
        let result = try scan(
            [
                ("a.py", "class Money:  # canon: ignore[DUP001, duplicate_defnition]\n    pass\n"),
                ("b.py", "class Money:\n    pass\n"),
            ], policy: "rules:\n  unused_suppression:\n    require_reason: true\n")
        let messages = result.findings.filter { $0.rule == "unused_suppression" }.map(\.message)
        #expect(messages.count == 2)
        #expect(messages.contains { $0.contains("'duplicate_defnition', which is no rule (did you mean 'duplicate_definition'?)") })
        #expect(messages.contains { $0.contains("gives no reason") })
        #expect(sites(result.suppressed) == ["a.py:1 duplicate_definition"])
    }

    @Test func suppressionsOfRulesThatDidNotRunAreNotJudged() throws {
        let result = try scan(
            [("a.py", "X = 1  # canon: ignore[shared_class_state] -- the registry is filled at import\n")],
            select: ["unused_suppression", "duplicate_definition"])
        #expect(result.findings.isEmpty)
        let alone = try scan([("a.py", "X = 1  # canon: ignore\n")], select: ["unused_suppression"])
        #expect(alone.findings.isEmpty)
    }

    @Test func unusedSuppressionFindingsCanBeSilencedButNotByTheirOwnSuppression() throws {
        let silenced = try scan([("a.py", "# canon: ignore-file[SUP001]\nX = 1  # canon: ignore[DUP001]\n")])
        #expect(silenced.findings.isEmpty)
        #expect(sites(silenced.suppressed) == ["a.py:2 unused_suppression"])
        let bare = try scan([("a.py", "X = 1  # canon: ignore\n")])
        #expect(sites(bare.findings) == ["a.py:1 unused_suppression"])
    }
}
