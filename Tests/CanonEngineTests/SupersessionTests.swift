import Canon
@testable import CanonEngine
import Testing

/// Reports one violation per file at line `line`, column 1.
private protocol FixedDetector: Detector where Options == NoOptions {
    static var line: Int { get }
}

extension FixedDetector {
    func detect(in context: DetectionContext) -> [Violation] {
        context.index.files.map {
            Violation(
                location: SourceLocation(path: $0.path, range: SourceRange(line: Self.line, column: 1, endLine: Self.line, endColumn: 5)),
                message: "\(Self.description.id) here", subject: $0.module)
        }
    }

    static func describe(_ id: String, _ code: String, supersedes: [String] = []) -> RuleDescription {
        RuleDescription(
            id: id, code: code, family: .imports, summary: id, rationale: id, defaultSeverity: .warning, triggeringExamples: [],
            nonTriggeringExamples: [], supersedes: supersedes)
    }
}

private struct Broad: FixedDetector {
    static let line = 1
    static let description = describe("broad", "IMP901")
    init(options: NoOptions) {}
}

private struct Narrow: FixedDetector {
    static let line = 1
    static let description = describe("narrow", "IMP902", supersedes: ["broad"])
    init(options: NoOptions) {}
}

private struct Elsewhere: FixedDetector {
    static let line = 2
    static let description = describe("elsewhere", "IMP903", supersedes: ["broad"])
    init(options: NoOptions) {}
}

/// `Broad` and `Narrow` again, each judging a file through its imports alone.
private struct LocalBroad: FixedDetector {
    static let line = 1
    static let description = describe("local_broad", "IMP904")
    static var judgesThroughImports: Bool { true }
    init(options: NoOptions) {}
}

private struct LocalNarrow: FixedDetector {
    static let line = 1
    static let description = describe("local_narrow", "IMP905", supersedes: ["local_broad"])
    static var judgesThroughImports: Bool { true }
    init(options: NoOptions) {}
}

/// Supersedes `LocalNarrow`, judging every file.
private struct Widest: FixedDetector {
    static let line = 1
    static let description = describe("widest", "IMP906", supersedes: ["local_narrow"])
    init(options: NoOptions) {}
}

/// Reads nothing of a file but its place, by its input hashes.
private protocol SteadyDetector: FixedDetector {}

extension SteadyDetector {
    func inputHashes(of offsets: [Int], in context: DetectionContext) -> [UInt64]? { offsets.map { UInt64($0) } }
}

private struct SteadyBroad: SteadyDetector {
    static let line = 1
    static let description = describe("steady_broad", "IMP907")
    init(options: NoOptions) {}
}

private struct SteadyNarrow: SteadyDetector {
    static let line = 1
    static let description = describe("steady_narrow", "IMP908", supersedes: ["steady_broad"])
    init(options: NoOptions) {}
}

/// Supersedes `SteadyBroad`, saying nothing of what it reads.
private struct Restless: FixedDetector {
    static let line = 1
    static let description = describe("restless", "IMP909", supersedes: ["steady_broad"])
    init(options: NoOptions) {}
}

@Suite struct SupersessionTests {
    func findings(_ types: [any Detector.Type]) throws -> [String] {
        let rules = try types.map { try ConfiguredRule($0, severity: .warning, options: .emptyMapping) }
        let result = Engine.scan(sources: [("a.py", Array("x = 1\ny = 2\n".utf8))], rules: rules)
        return result.findings.map { "\($0.rule)@\($0.location.range.line)" }
    }

    @Test func aSupersedingFindingAtTheSameRangeDropsTheOther() throws {
        #expect(try findings([Broad.self, Narrow.self]) == ["narrow@1"])
    }

    /// After an edit, a rule keeps its last findings outside the edit's reach only when no rule that judges
    /// every file again supersedes it, directly or through another.
    @Test func aRuleSupersededByOneThatJudgesEveryFileAgainKeepsNoFindings() throws {
        let context = DetectionContext(index: Engine.index(sources: [("a.py", Array("x = 1\n".utf8))]).index)
        func keeping(_ rules: [ConfiguredRule]) -> Set<String> {
            Set(Engine.filesToJudge(rules, reach: ["a.py"], in: context).keys)
        }
        func keeping(_ types: [any Detector.Type]) throws -> Set<String> {
            keeping(try types.map { try ConfiguredRule($0, severity: .warning, options: .emptyMapping) })
        }
        #expect(try keeping([LocalBroad.self, LocalNarrow.self]) == ["local_broad", "local_narrow"])
        #expect(try keeping([LocalBroad.self, LocalNarrow.self, Widest.self]) == [])
        #expect(try keeping([LocalBroad.self, Widest.self]) == ["local_broad"])
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).defaultPolicy()
        // `fallback_import` is superseded by `deprecated_import`, which judges every file again.
        #expect(keeping(try policy.configuredRules(registry: registry)) == [
            "unresolved_import", "global_state_mutation", "lazy_global_singleton", "cached_instance_factory", "singleton_class",
        ])
    }

    /// After an edit, a rule whose input hashes are as they were keeps its findings without running, unless a
    /// rule that supersedes it runs.
    @Test func aRuleSupersededByOneThatRunsAfterAnEditRunsToo() throws {
        let context = DetectionContext(index: Engine.index(sources: [("a.py", Array("x = 1\n".utf8))]).index)
        func kept(_ types: [any Detector.Type], last hash: UInt64 = 0) throws -> Set<String> {
            let rules = try types.map { try ConfiguredRule($0, severity: .warning, options: .emptyMapping) }
            let last = Dictionary(uniqueKeysWithValues: rules.map { ($0.description.id, [hash]) })
            return Engine.inputsAfterEdit(rules, reach: ["a.py"], last: last, in: context).unchanged
        }
        #expect(try kept([SteadyBroad.self, SteadyNarrow.self]) == ["steady_broad", "steady_narrow"])
        #expect(try kept([SteadyBroad.self, SteadyNarrow.self], last: 1) == [])
        #expect(try kept([SteadyBroad.self, Restless.self]) == [])
        #expect(try kept([SteadyBroad.self, SteadyNarrow.self, Restless.self]) == ["steady_narrow"])
    }

    @Test func findingsAtOtherRangesOrWithoutTheSupersedingRuleStay() throws {
        #expect(try findings([Broad.self, Elsewhere.self]) == ["broad@1", "elsewhere@2"])
        #expect(try findings([Broad.self]) == ["broad@1"])
    }
}
