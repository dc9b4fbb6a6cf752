import Canon
import Testing

/// Every built-in rule's examples, run as tests: triggering examples report exactly at their `↓` markers,
/// non-triggering ones report nothing.
@Suite struct RuleExamplesTests {
    static let registry = BuiltinRules.registry()

    static var cases: [ExampleCase] {
        registry.detectors.flatMap { detector in
            let description = detector.description
            return description.triggeringExamples.enumerated().map {
                ExampleCase(rule: description.id, index: $0.offset, example: $0.element, triggers: true)
            } + description.nonTriggeringExamples.enumerated().map {
                ExampleCase(rule: description.id, index: $0.offset, example: $0.element, triggers: false)
            }
        }
    }

    @Test(arguments: cases)
    func example(_ testCase: ExampleCase) throws {
        let outcome = try ExampleRunner(registry: Self.registry).run(testCase.example, rule: testCase.rule)
        #expect(outcome.errors.isEmpty, "the example does not parse: \(outcome.errors)")
        if testCase.triggers {
            #expect(!outcome.expected.isEmpty, "a triggering example needs at least one ↓ marker")
        } else {
            #expect(outcome.expected.isEmpty, "a non-triggering example has no ↓ marker")
        }
        #expect(outcome.actual == outcome.expected)
    }

    @Test func everyRuleHasExamplesBothWays() {
        for description in Self.registry.descriptions {
            #expect(!description.triggeringExamples.isEmpty, "\(description.id) has no triggering example")
            #expect(!description.nonTriggeringExamples.isEmpty, "\(description.id) has no non-triggering example")
            #expect(!description.summary.hasSuffix("."), "\(description.id)'s summary ends with a period")
        }
    }
}

struct ExampleCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let index: Int
    let example: Example
    let triggers: Bool

    var testDescription: String { "\(rule) \(triggers ? "triggering" : "non-triggering") #\(index + 1)" }
}
