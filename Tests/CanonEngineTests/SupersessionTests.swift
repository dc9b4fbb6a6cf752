import Canon
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

@Suite struct SupersessionTests {
    func findings(_ types: [any Detector.Type]) throws -> [String] {
        let rules = try types.map { try ConfiguredRule($0, severity: .warning, options: .emptyMapping) }
        let result = Engine.scan(sources: [("a.py", Array("x = 1\ny = 2\n".utf8))], rules: rules)
        return result.findings.map { "\($0.rule)@\($0.location.range.line)" }
    }

    @Test func aSupersedingFindingAtTheSameRangeDropsTheOther() throws {
        #expect(try findings([Broad.self, Narrow.self]) == ["narrow@1"])
    }

    @Test func findingsAtOtherRangesOrWithoutTheSupersedingRuleStay() throws {
        #expect(try findings([Broad.self, Elsewhere.self]) == ["broad@1", "elsewhere@2"])
        #expect(try findings([Broad.self]) == ["broad@1"])
    }
}
