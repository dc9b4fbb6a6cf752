import Canon
import Foundation
import Testing

@Suite struct PolicyLoaderTests {
    let loader = PolicyLoader(registry: BuiltinRules.registry())

    func failure(_ text: String, file: String = ".canon.yml") -> String {
        do {
            _ = try loader.load(text: text, file: file)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func defaultPolicyEnablesEveryRuleAtItsDefaultSeverity() throws {
        let policy = try loader.defaultPolicy()
        for description in loader.registry.descriptions {
            #expect(policy.rules[description.id]?.severity == description.defaultSeverity)
        }
        #expect(policy.include == ["**/*.py", "**/*.pyi", "**/*.swift"])
        #expect(policy.maxFileSize == 10 << 20)
    }

    /// A loader that builds its default on another thread while its caller goes on gives the policies a plain
    /// one does, whichever thread asks first and however many ask at once.
    @Test func aLoaderPreparingItsDefaultLoadsWhatAPlainOneLoads() throws {
        let text = "exclude: [generated/]\nrules:\n  DUP001:\n    severity: error\nroots: [src]\n"
        func same(_ a: Policy, _ b: Policy) -> Bool {
            (a.include, a.exclude, a.maxFileSize, a.baseline, a.sources) == (b.include, b.exclude, b.maxFileSize, b.baseline, b.sources)
                && a.rules == b.rules && a.settings == b.settings && a.overrides == b.overrides
        }
        let plain = (try loader.defaultPolicy(), try loader.load(text: text))
        #expect(plain.0.rules["duplicate_definition"]?.severity == .warning)
        #expect(plain.1.rules["duplicate_definition"]?.severity == .error)
        for _ in 0..<3 {
            let prepared = PolicyLoader.preparingDefault(registry: loader.registry)
            let loaded = Locked<[Policy]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { k in
                let policy = try? (k % 2 == 0 ? prepared.defaultPolicy() : prepared.load(text: text))
                if let policy { loaded.withLock { $0.append(policy) } }
            }
            let policies = loaded.withLock { $0 }
            #expect(policies.count == 4)
            #expect(policies.filter { same($0, plain.0) }.count == 2)
            #expect(policies.filter { same($0, plain.1) }.count == 2)
        }
    }

    @Test func repositoryPolicyLaysSeverityAndOptionsOverTheDefault() throws {
        let policy = try loader.load(text: """
            version: 1
            extends: default
            exclude: [generated/]
            rules:
              DUP001:
                severity: error
                ignore_names: ["Meta"]
            """)
        let setting = try #require(policy.rules["duplicate_definition"])
        #expect(setting.severity == .error)
        #expect(setting.options["ignore_names"] == ConfigNode(.sequence([ConfigNode(.scalar(.string("Meta")))])))
        #expect(setting.options["min_definitions"] == ConfigNode(.scalar(.int(2))))
        #expect(policy.exclude == ["generated/"])
    }

    @Test func offDisablesARule() throws {
        let policy = try loader.load(text: "rules:\n  duplicate_definition:\n    severity: off\n")
        #expect(try !policy.configuredRules(registry: loader.registry).contains { $0.description.id == "duplicate_definition" })
    }

    @Test func unknownRuleNamesLineColumnAndSuggestion() {
        let message = failure("version: 1\nrules:\n  duplicate_defintion:\n    severity: error\n")
        #expect(message.contains(".canon.yml:3:3"))
        #expect(message.contains("unknown rule 'duplicate_defintion'"))
        #expect(message.contains("did you mean 'duplicate_definition'"))
    }

    @Test func unknownOptionNamesLineColumnAndSuggestion() {
        let message = failure("rules:\n  duplicate_definition:\n    ignore_name: []\n")
        #expect(message.contains(".canon.yml:3:5"))
        #expect(message.contains("unknown key 'ignore_name'"))
        #expect(message.contains("did you mean 'ignore_names'"))
    }

    @Test func unknownTopLevelKeyIsAnError() {
        let message = failure("version: 1\nexlude: []\n")
        #expect(message.contains(".canon.yml:2:1"))
        #expect(message.contains("did you mean 'exclude'"))
    }

    @Test func wrongTypesNameThePlace() {
        #expect(failure("rules:\n  duplicate_definition:\n    min_definitions: many\n").contains(".canon.yml:3:22"))
        #expect(failure("rules:\n  duplicate_definition:\n    include_tests: 3\n").contains("must be true or false"))
        #expect(failure("include: '*.py'\n").contains("'include' must be a list"))
        #expect(failure("rules:\n  duplicate_definition:\n    severity: loud\n").contains("use one of error, warning, note, off"))
        #expect(failure("version: 2\n").contains("version 2 is not supported"))
        #expect(failure("max_file_size: -1\n").contains("must be positive"))
    }

    @Test func malformedYAMLNamesLineAndColumn() {
        let message = failure("rules:\n  duplicate_definition: [\n", file: "bad.yml")
        #expect(message.hasPrefix("bad.yml:"))
        #expect(message.contains("not valid YAML"))
        #expect(failure("a: 1\na: 2\n").contains("duplicated keys"))
    }

    @Test func extendsLayersAFileFirstAndDetectsCycles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("canon-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "rules:\n  duplicate_definition:\n    severity: error\n    min_definitions: 3\n"
            .write(to: folder.appendingPathComponent("base.yml"), atomically: true, encoding: .utf8)
        try "extends: base.yml\nrules:\n  duplicate_definition:\n    min_definitions: 4\n"
            .write(to: folder.appendingPathComponent(".canon.yml"), atomically: true, encoding: .utf8)
        let policy = try loader.load(root: folder)
        #expect(policy.rules["duplicate_definition"]?.severity == .error)
        #expect(policy.rules["duplicate_definition"]?.options["min_definitions"] == ConfigNode(.scalar(.int(4))))
        #expect(policy.sources.count == 3)

        try "extends: .canon.yml\n".write(to: folder.appendingPathComponent("base.yml"), atomically: true, encoding: .utf8)
        #expect(throws: PolicyError.self) { try loader.load(root: folder) }
    }

    @Test func missingExplicitPolicyIsAnError() {
        #expect {
            try loader.load(root: URL(fileURLWithPath: "/nonexistent"), explicitFile: URL(fileURLWithPath: "/nonexistent/p.yml"))
        } throws: { "\($0)".contains("/nonexistent/p.yml: cannot read the policy") }
    }

    @Test func selectAndIgnoreTakeIdsOrCodes() throws {
        let policy = try loader.load(text: "rules:\n  duplicate_definition:\n    severity: off\n")
        #expect(try policy.configuredRules(registry: loader.registry, select: ["DUP001"]).map(\.description.id) == ["duplicate_definition"])
        #expect(try policy.configuredRules(registry: loader.registry, select: ["DUP001"], ignore: ["duplicate_definition"]).isEmpty)
        #expect(throws: PolicyError.self) { try policy.configuredRules(registry: loader.registry, select: ["DUP999"]) }
    }
}

@Suite struct OptionValidationTests {
    let loader = PolicyLoader(registry: BuiltinRules.registry())

    @Test func invalidRegularExpressionsAndRangesNameTheItem() {
        func failure(_ text: String) -> String {
            do {
                _ = try loader.load(text: text, file: "p.yml")
                return ""
            } catch { return error.description }
        }
        #expect(failure("rules:\n  duplicate_definition:\n    ignore_names: [Ok, '([']\n").contains(
            "p.yml:3:24: 'rules.duplicate_definition.ignore_names[1]' is not a valid regular expression ('([')"))
        #expect(failure("rules:\n  duplicate_definition:\n    min_definitions: 1\n").contains(
            "p.yml:3:22: 'rules.duplicate_definition.min_definitions' must be at least 2"))
        #expect(failure("rules:\n  module_instance:\n    allow: ['*x']\n").contains("'rules.module_instance.allow[0]'"))
    }
}

/// An embedder's registry may hold only some families: the built-in default still loads, with their rules.
@Suite struct PartialRegistryTests {
    @Test func theDefaultPolicyLoadsForAOneFamilyRegistry() throws {
        let duplicates = try #require(BuiltinRules.detectors.first { $0.description.id == "duplicate_definition" })
        let registry = try Registry([duplicates])
        let policy = try PolicyLoader(registry: registry).defaultPolicy()
        #expect(policy.rules.keys.sorted() == ["duplicate_definition"])
        #expect(throws: PolicyError.self) { try PolicyLoader(registry: registry).load(text: "rules:\n  singleton_class:\n    severity: off\n") }
    }
}
