import Canon
import Testing

/// `rules.yml` is the documentation of the defaults; these tests keep it equal to the defaults in code.
@Suite struct DefaultPolicyTests {
    let registry = BuiltinRules.registry()

    static func sortedEntries(_ node: ConfigNode) -> [String: ConfigNode] {
        Dictionary(uniqueKeysWithValues: (node.entries ?? []).map { ($0.key, $0.value) })
    }

    @Test func rulesYAMLListsEveryRuleWithItsDefaults() throws {
        let policy = try PolicyLoader(registry: registry).defaultPolicy()
        #expect(Set(policy.rules.keys) == Set(registry.descriptions.map(\.id)))
        for detector in registry.detectors {
            let description = detector.description
            let setting = try #require(policy.rules[description.id])
            #expect(setting.severity == description.defaultSeverity, "rules.yml severity of \(description.id)")
            #expect(
                Self.sortedEntries(setting.options) == Self.sortedEntries(Self.defaults(detector)),
                "rules.yml options of \(description.id) differ from the defaults in code")
        }
    }

    @Test func everyOptionIsDocumented() {
        for detector in registry.detectors {
            let description = detector.description
            let keys = Set(Self.defaults(detector).entries?.map(\.key) ?? [])
            #expect(keys == Set(description.options.map(\.key)), "documented options of \(description.id)")
        }
    }

    @Test func registryRejectsDuplicateIdsAndBadCodes() {
        #expect(throws: RegistryError.duplicateIdentifier("duplicate_definition")) {
            try registry.adding([BuiltinRules.detectors[0]])
        }
    }

    static func defaults<D: Detector>(_ type: D.Type) -> ConfigNode { D.Options.defaultNode }
}
