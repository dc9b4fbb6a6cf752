import Canon
import Foundation
import Testing

@Suite struct PolicySchemaTests {
    static let checkedIn = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/policy.schema.json").standardizedFileURL

    @Test func theCheckedInSchemaIsTheGeneratedOne() throws {
        let generated = PolicySchema.generate(registry: BuiltinRules.registry())
        let stored = try String(contentsOf: Self.checkedIn, encoding: .utf8)
        #expect(stored == generated, "docs/policy.schema.json is stale: run `swift run canon-policy-schema docs/policy.schema.json`")
    }

    @Test func theSchemaListsEveryRuleByIdAndCodeWithItsOptions() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(PolicySchema.generate(registry: BuiltinRules.registry()).utf8)) as? [String: Any])
        let properties = try #require(document["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["version", "extends", "include", "exclude", "max_file_size", "baseline", "rules", "overrides",
            "concepts", "deprecated", "deprecation_functions", "public_api", "roots", "layers", "forbidden", "independence"])
        let rules = try #require((properties["rules"] as? [String: Any])?["properties"] as? [String: Any])
        for description in BuiltinRules.registry().descriptions {
            #expect(rules[description.id] != nil && rules[description.code] != nil, "\(description.id) missing from the schema")
        }
        let defs = try #require(document["$defs"] as? [String: Any])
        let cycle = try #require((defs["rule.import_cycle"] as? [String: Any])?["properties"] as? [String: Any])
        #expect((cycle["depth"] as? [String: Any])?["type"] as? String == "integer")
        #expect((cycle["depth"] as? [String: Any])?["default"] as? Int == 0)
        #expect(Set(cycle.keys) == ["severity", "include", "exclude", "import_kinds", "depth", "allow"])
    }

    @Test func renderingIsDeterministicAndEscapes() {
        let value: JSONValue = ["b": ["x\"y\n", 1, true, .null], "a": [:], "c": ["k": "\u{1}"]]
        #expect(value.rendered() == "{\n  \"a\": {},\n  \"b\": [\"x\\\"y\\n\", 1, true, null],\n  \"c\": {\n    \"k\": \"\\u0001\"\n  }\n}")
    }
}
