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

/// Reads nothing of a file but its path, by its facts hash.
private struct SteadyBroad: FixedDetector {
    static let line = 1
    static let description = describe("steady_broad", "IMP907")
    static var readsResolutions: Bool { false }
    init(options: NoOptions) {}

    func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? { NameHash.of(file.path) }
}

/// Supersedes `SteadyBroad` in the files that bind `flag`, saying nothing of what it reads.
private struct Flag: Detector {
    static let description = RuleDescription(
        id: "flag", code: "IMP909", family: .imports, summary: "flag", rationale: "flag", defaultSeverity: .warning,
        triggeringExamples: [], nonTriggeringExamples: [], supersedes: ["steady_broad"])
    init(options: NoOptions) {}

    func detect(in context: DetectionContext) -> [Violation] {
        context.index.files.filter { $0.assignments.contains { $0.name == "flag" } }.map {
            Violation(
                location: SourceLocation(path: $0.path, range: SourceRange(line: 1, column: 1, endLine: 1, endColumn: 5)),
                message: "flag here", subject: $0.module)
        }
    }
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

    /// After an edit, a rule that judges through imports keeps its last findings outside the edit's reach, whatever
    /// supersedes it: the findings it keeps include those a superseding finding dropped.
    @Test func aRuleJudgesItsOwnReachWhateverSupersedesIt() throws {
        let context = DetectionContext(index: Engine.index(sources: [("a.py", Array("x = 1\n".utf8))]).index)
        func keeping(_ rules: [ConfiguredRule]) -> Set<String> {
            Set(Engine.filesToJudge(rules, reach: ["a.py"], in: context).keys)
        }
        func keeping(_ types: [any Detector.Type]) throws -> Set<String> {
            keeping(try types.map { try ConfiguredRule($0, severity: .warning, options: .emptyMapping) })
        }
        #expect(try keeping([LocalBroad.self, LocalNarrow.self]) == ["local_broad", "local_narrow"])
        #expect(try keeping([LocalBroad.self, LocalNarrow.self, Widest.self]) == ["local_broad", "local_narrow"])
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).defaultPolicy()
        #expect(keeping(try policy.configuredRules(registry: registry)) == [
            "unresolved_import", "global_state_mutation", "lazy_global_singleton", "cached_instance_factory", "singleton_class",
            "fallback_import",
        ])
    }

    /// After an edit, a rule whose input hashes are as they were keeps its findings without running, those a
    /// superseding rule's finding dropped included: when that finding goes, the dropped one comes back.
    @Test func aFindingDroppedBySupersessionComesBackWhenTheSupersedingFindingGoes() throws {
        let types: [any Detector.Type] = [SteadyBroad.self, Flag.self]
        let rules = try types.map { try ConfiguredRule($0, severity: .warning, options: .emptyMapping) }
        func context(_ source: String) -> DetectionContext {
            DetectionContext(index: Engine.index(sources: [("a.py", Array(source.utf8)), ("b.py", Array("y = 1\n".utf8))]).index)
        }
        let memo = Locked(Engine.CheckMemo())
        let flagged = context("flag = 1\n")
        let first = Engine.run(rules, on: flagged, last: nil, memo: memo)
        #expect(first.map { "\($0.rule)@\($0.location.path)" } == ["flag@a.py", "steady_broad@b.py"])
        let superseded = memo.withLock { $0 }.superseded
        #expect(superseded.map { "\($0.rule)@\($0.location.path)" } == ["steady_broad@a.py"])
        // The work handed to the check for after the facts hashes (the scan's save) is started once.
        let started = Locked(0)
        let last = Engine.LastCheck(
            edited: ["a.py"], findings: first + superseded, earlier: ["a.py": try #require(flagged.index.file(atPath: "a.py"))],
            afterHashing: { started.withLock { $0 += 1 } })
        let after = Engine.run(rules, on: context("x = 1\n"), jobs: 2, last: last, memo: memo)
        #expect(started.withLock { $0 } == 1)
        #expect(last.rulesKept == ["steady_broad"])
        #expect(after.map { "\($0.rule)@\($0.location.path)" } == ["steady_broad@a.py", "steady_broad@b.py"])
        #expect(memo.withLock { $0 }.superseded.isEmpty)
    }

    @Test func findingsAtOtherRangesOrWithoutTheSupersedingRuleStay() throws {
        #expect(try findings([Broad.self, Elsewhere.self]) == ["broad@1", "elsewhere@2"])
        #expect(try findings([Broad.self]) == ["broad@1"])
    }
}
