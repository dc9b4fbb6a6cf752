import Canon
import CanonCommandLine
import Foundation
import Synchronization
import TeamRules
import Testing

/// The team's detector, run from outside Canon: beside the built-ins, with its options from the project's
/// `.canon.yml`, in every command of the team's own command line.
@Suite struct TeamRulesTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shop").path
    static let registry: Registry = {
        do { return try BuiltinRules.registry().adding(TeamRules.detectors) } catch { fatalError("\(error)") }
    }()

    /// Runs the command line in process with `registry`; returns the exit code, standard output and error.
    func run(_ arguments: [String], registry: Registry = Self.registry) -> (code: Int32, out: String, err: String) {
        let out = Mutex("")
        let err = Mutex("")
        let console = Console(
            wantsColor: false, out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
        let code = CommandLineTool.run(arguments, registry: registry, console: console)
        return (code, out.withLock { $0 }, err.withLock { $0 })
    }

    @Test func scanReportsTheTeamRuleBesideTheBuiltinsWithTheProjectsOptions() throws {
        let result = run(["scan", Self.fixture, "--format", "json"])
        #expect(result.code == 1, "findings at warning fail the run: \(result.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let seen = findings.map { "\($0["rule"]!) \($0["path"]!):\($0["line"]!):\($0["column"]!)" }
        #expect(
            seen == [
                "duplicate_definition Sources/Legacy/Checkout.swift:1:1",
                "vague_type_name Sources/Legacy/Checkout.swift:3:1",
                "vague_type_name Sources/Shop/Cart.swift:1:1",
                "duplicate_definition Sources/Shop/Cart.swift:3:1",
            ])
        let team = try #require(findings.first { $0["rule"] as? String == "vague_type_name" })
        #expect(team["code"] as? String == "TEAM001")
        #expect(team["message"] as? String == "class 'CheckoutCoordinator' ends in 'Coordinator'; name it after what it is")
    }

    @Test func sarifCarriesTheTeamRuleAndItsResults() throws {
        let result = run(["scan", Self.fixture, "--format", "sarif"])
        #expect(result.code == 1, "findings at warning fail the run: \(result.err)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let first = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((first["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let ruleIds = try #require(driver["rules"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(ruleIds.contains("vague_type_name"))
        let results = try #require(first["results"] as? [[String: Any]])
        let teamResults = results.filter { $0["ruleId"] as? String == "vague_type_name" }
        #expect(teamResults.count == 2)
        let uris = teamResults.compactMap {
            ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"]
                as? [String: Any])?["uri"] as? String
        }
        #expect(uris == ["Sources/Legacy/Checkout.swift", "Sources/Shop/Cart.swift"])
    }

    @Test func rulesAndExplainShowTheTeamRule() {
        let rules = run(["rules", Self.fixture])
        #expect(rules.code == 0)
        #expect(rules.out.split(separator: "\n").contains { $0.hasPrefix("vague_type_name") && $0.contains("TEAM001") && $0.contains("team") })
        let explain = run(["explain", "TEAM001"])
        #expect(explain.code == 0)
        #expect(explain.out.hasPrefix("vague_type_name (TEAM001)\n"))
        #expect(explain.out.contains("suffixes: name endings that are reported (default: ['Manager', 'Helper', 'Utils'])"))
    }

    @Test func stockCanonRejectsTheTeamRuleInThePolicy() {
        let result = run(["scan", Self.fixture], registry: BuiltinRules.registry())
        #expect(result.code == 2)
        #expect(result.err.contains("vague_type_name"))
    }

    @Test func theDetectorsExamplesHold() throws {
        let runner = ExampleRunner(registry: Self.registry)
        let description = VagueTypeNameDetector.description
        for example in description.triggeringExamples + description.nonTriggeringExamples {
            let outcome = try runner.run(example, rule: description.id)
            #expect(outcome.errors.isEmpty)
            #expect(outcome.actual == outcome.expected, "\(example.files.map(\.path))")
        }
    }
}
