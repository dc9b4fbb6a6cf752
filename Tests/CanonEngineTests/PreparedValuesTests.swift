import Canon
import Testing

/// Counts its builds by the path of the index's one file, so that tests running at once count apart.
private struct CountedValue: IndexDerived {
    static let builds = Locked<[String: Int]>([:])

    init(index: ProjectIndex) {
        Self.builds.withLock { $0[index.files.first?.path ?? "", default: 0] += 1 }
    }

    static func count(for path: String) -> Int { builds.withLock { $0[path] ?? 0 } }
}

/// Declares `CountedValue` prepared, and reads it only when `reads` says so.
private protocol PreparingDetector: Detector where Options == NoOptions {
    static var reads: Bool { get }
}

extension PreparingDetector {
    static var preparedValues: [any IndexDerived.Type] { [CountedValue.self] }

    func detect(in context: DetectionContext) -> [Violation] {
        if Self.reads { _ = context.derived(CountedValue.self) }
        return []
    }

    static func describe(_ id: String, _ code: String) -> RuleDescription {
        RuleDescription(
            id: id, code: code, family: .imports, summary: id, rationale: id, defaultSeverity: .warning, triggeringExamples: [],
            nonTriggeringExamples: [])
    }
}

private struct Reading: PreparingDetector {
    static let reads = true
    static let description = describe("reading", "IMP911")
    init(options: NoOptions) {}
}

private struct NotReading: PreparingDetector {
    static let reads = false
    static let description = describe("not_reading", "IMP912")
    init(options: NoOptions) {}
}

@Suite struct PreparedValuesTests {
    fileprivate func run(_ types: [any PreparingDetector.Type], path: String, jobs: Int) throws -> Int {
        let rules = try types.map { type throws(ConfigError) in try ConfiguredRule(type, severity: .warning, options: .emptyMapping) }
        let file = FileFacts(path: path, module: String(path.dropLast(3)), isPackage: false, language: .python)
        _ = Engine.run(rules, on: DetectionContext(index: ProjectIndex(files: [file])), jobs: jobs)
        return CountedValue.count(for: path)
    }

    @Test func aPreparedValueIsBuiltOnceBeforeAnyRuleAsks() throws {
        // Built though neither rule reads it, and once though both prepare it.
        #expect(try run([NotReading.self, NotReading.self], path: "prepared.py", jobs: 2) == 1)
        // Once, whether a rule or the engine builds it first.
        #expect(try run([Reading.self, NotReading.self, Reading.self], path: "read.py", jobs: 2) == 1)
    }

    @Test func oneThreadPreparesNothing() throws {
        #expect(try run([NotReading.self], path: "one_thread.py", jobs: 1) == 0)
        #expect(try run([Reading.self], path: "one_thread_read.py", jobs: 1) == 1)
    }
}
