import CanonCore
import Foundation
import Testing

/// A detector that reports the first line of every file, with its `tag` option as the message.
private struct TaggingDetector: Detector {
    struct Options: DetectorOptions {
        var tag = "base"
        var ignoreNames: [String] = []

        init() {}

        enum CodingKeys: String, CodingKey {
            case tag
            case ignoreNames = "ignore_names"
        }
    }

    static let description = RuleDescription(
        id: "tagging", code: "TST001", family: RuleFamily("tests", codePrefix: "TST"), summary: "Tags every file",
        rationale: "For tests.", defaultSeverity: .warning, triggeringExamples: [], nonTriggeringExamples: [])

    let options: Options

    init(options: Options) { self.options = options }

    func detect(in context: DetectionContext) -> [Violation] {
        context.index.files.filter { !options.ignoreNames.contains($0.module) }.map {
            Violation(
                location: SourceLocation(path: $0.path, range: .at(line: 1, column: 1)), message: options.tag, subject: $0.module)
        }
    }
}

@Suite struct ConfiguredRuleTests {
    let context = DetectionContext(index: ProjectIndex(files: ["app/a.py", "app/b.py", "tests/test_a.py", "gen/c.py"].map {
        FileFacts(path: $0, module: String($0.dropLast(3)).replacingOccurrences(of: "/", with: "."), isPackage: false, language: .python)
    }))

    func mapping(_ pairs: (String, ConfigNode.Scalar)...) -> ConfigNode {
        ConfigNode(.mapping(pairs.map { ($0.0, nil, ConfigNode(.scalar($0.1))) }))
    }

    func report(_ rule: ConfiguredRule) -> [String] {
        rule.findings(in: context).sorted().map { "\($0.location.path) \($0.severity.rawValue) \($0.message)" }
    }

    @Test func includeAndExcludeLimitWhereARuleReports() throws {
        let rule = try ConfiguredRule(
            TaggingDetector.self, severity: .warning, options: .emptyMapping,
            scope: RuleScope(include: [Glob("app/"), Glob("tests/")], exclude: [Glob("test_*.py")]))
        #expect(report(rule) == ["app/a.py warning base", "app/b.py warning base"])
    }

    @Test func overridesApplyInOrderAndTheLastMatchWins() throws {
        let rule = try ConfiguredRule(
            TaggingDetector.self, severity: .warning, options: .emptyMapping,
            scope: RuleScope(overrides: [
                .init(files: [Glob("app/**")], severity: .error, options: mapping(("tag", .string("app")))),
                .init(files: [Glob("app/b.py")], severity: .note),
                .init(files: [Glob("tests/")], severity: .off),
                .init(files: [Glob("gen/")], options: mapping(("tag", .string("generated")))),
            ]))
        #expect(report(rule) == ["app/a.py error app", "app/b.py note app", "gen/c.py warning generated"])
    }

    @Test func anOverrideCanTurnOnARuleThatIsOffElsewhere() throws {
        let rule = try ConfiguredRule(
            TaggingDetector.self, severity: .off, options: .emptyMapping,
            scope: RuleScope(overrides: [.init(files: [Glob("gen/")], severity: .error)]))
        #expect(rule.isEnabled)
        #expect(report(rule) == ["gen/c.py error base"])
        #expect(try !ConfiguredRule(TaggingDetector.self, severity: .off, options: .emptyMapping).isEnabled)
    }

    @Test func badOptionsInAnOverrideFailWhenTheRuleIsBuilt() {
        #expect(throws: ConfigError.self) {
            try ConfiguredRule(
                TaggingDetector.self, severity: .warning, options: .emptyMapping,
                scope: RuleScope(overrides: [.init(files: [Glob("a")], options: mapping(("tagg", .string("x"))))]))
        }
    }

    @Test func theAuditFindsAllowlistEntriesThatSuppressNothing() throws {
        let mark = { (column: Int) in ConfigMark(file: ".canon.yml", line: 3, column: column) }
        let entries = ConfigNode(.sequence([
            ConfigNode(.scalar(.string("app.a")), mark: mark(20)),
            ConfigNode(.scalar(.string("app.zzz")), mark: mark(27)),
            ConfigNode(.scalar(.string("gen.c")), mark: ConfigMark(file: ConfigMark.builtInFile, line: 1, column: 1)),
        ]))
        let rule = try ConfiguredRule(
            TaggingDetector.self, severity: .warning, options: ConfigNode(.mapping([("ignore_names", nil, entries)])))
        #expect(rule.unusedAllowlistEntries(in: context) == [
            UnusedAllowlistEntry(rule: "tagging", key: "ignore_names", value: "app.zzz", mark: mark(27))
        ])
    }
}
