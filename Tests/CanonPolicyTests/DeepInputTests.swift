import Canon
import Testing

/// Deeply nested YAML gives a policy error naming the place, never a stack overflow.
@Suite struct PolicyDeepInputTests {
    func error(_ text: String) -> PolicyError? {
        do {
            _ = try PolicyLoader(registry: BuiltinRules.registry()).load(text: text, file: ".canon.yml")
            return nil
        } catch {
            return error
        }
    }

    @Test func hundredThousandNestedCollectionsAreASyntaxError() {
        let count = 100_000
        let texts = [
            "exclude: " + String(repeating: "[", count: count) + String(repeating: "]", count: count),
            "exclude: " + String(repeating: "{a: ", count: count) + "b" + String(repeating: "}", count: count),
            "exclude:\n  " + String(repeating: "- ", count: count) + "x",
        ]
        for text in texts {
            guard case .syntax(let file, let line, _, let problem)? = error(text) else {
                Issue.record("expected a syntax error, got \(String(describing: error(text)))")
                continue
            }
            #expect(file == ".canon.yml" && line >= 1)
            #expect(problem.contains("nesting level"))
        }
    }

    @Test func nestingJustUnderYAMLsLimitIsATypeError() {
        let text = "exclude: " + String(repeating: "[", count: 900) + String(repeating: "]", count: 900)
        guard case .invalidConfiguration? = error(text) else {
            Issue.record("expected exclude's type to be refused, got \(String(describing: error(text)))")
            return
        }
    }
}
