import Canon
import Foundation
import Testing

/// A detector as an embedder would write one: every top-level type named `Legacy*`.
struct LegacyNameDetector: Detector {
    struct Options: DetectorOptions {
        var prefix = "Legacy"
        init() {}
    }

    static let description = RuleDescription(
        id: "legacy_name", code: "TST001", family: RuleFamily("tests", codePrefix: "TST"),
        summary: "A type is named Legacy-something", rationale: "Test only.", defaultSeverity: .note,
        options: [OptionDescription("prefix", "the prefix")],
        triggeringExamples: [Example(files: [ExampleFile("Sources/A/A.swift", "↓struct LegacyA {}\n")])],
        nonTriggeringExamples: [Example(files: [ExampleFile("Sources/A/A.swift", "struct A {}\n")])])

    let options: Options

    init(options: Options) { self.options = options }

    func detect(in context: DetectionContext) -> [Violation] {
        context.index.moduleFiles.flatMap { file in
            file.classes.filter { $0.isTopLevel && $0.name.hasPrefix(options.prefix) }.map {
                Violation(location: SourceLocation(path: file.path, range: $0.range), message: "'\($0.name)'", subject: $0.name)
            }
        }
    }
}

/// The library API an embedder uses: policy, registry, scan, report.
@Suite struct CanonScannerTests {
    @Test func inMemoryFilesWithAPolicyGivenAsText() throws {
        let scanner = try CanonScanner(adding: [LegacyNameDetector.self])
        let policy = try scanner.policy(text: "rules:\n  legacy_name:\n    severity: warning\n    prefix: Old\n")
        let result = try scanner.scan(
            files: [
                "Sources/App/Old.swift": "struct OldUser {}\nstruct LegacyUser {}\n",
                "Sources/Legacy/User.swift": "struct LegacyUser {}\n",
            ], policy: policy)
        #expect(result.findings.map { "\($0.rule) \($0.severity.rawValue) \($0.location.path):\($0.location.range.line)" } == [
            "legacy_name warning Sources/App/Old.swift:1",
            "duplicate_definition warning Sources/App/Old.swift:2",
            "duplicate_definition warning Sources/Legacy/User.swift:1",
        ])
        let json = JSONReporter().render(result.report())
        #expect(json.contains("\"rule\" : \"legacy_name\""))
    }

    @Test func aDirectoryWithItsOwnPolicyAndTheDefault() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("canon-scanner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in [
            ".canon.yml": "rules:\n  duplicate_definition:\n    severity: error\n",
            "Sources/A/T.swift": "struct T {}\n", "Sources/B/T.swift": "struct T {}\n",
        ] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let scanner = CanonScanner()
        let own = try scanner.scan([root.appendingPathComponent("Sources/A")])
        #expect(own.findings.map(\.severity) == [.error])
        #expect(own.findings.map(\.location.path) == ["Sources/A/T.swift"])
        let byDefault = try scanner.scan([root], policy: try scanner.defaultPolicy())
        #expect(byDefault.findings.map(\.severity) == [.warning, .warning])
        #expect(TextReporter().render(byDefault.report()).hasSuffix("Scanned 2 files: 2 findings (2 warnings).\n"))
    }

    @Test func aPolicyNamingAnUnknownRuleIsAnError() {
        #expect(throws: PolicyError.self) { try CanonScanner().policy(text: "rules:\n  legacy_name:\n    severity: note\n") }
    }
}
