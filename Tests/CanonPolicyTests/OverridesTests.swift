import Canon
import Foundation
import Testing

@Suite struct OverridesTests {
    let loader = PolicyLoader(registry: BuiltinRules.registry())

    func failure(_ text: String) -> String {
        do {
            let policy = try loader.load(text: text, file: "p.yml")
            _ = try policy.configuredRules(registry: loader.registry)
            return "no error"
        } catch { return error.description }
    }

    @Test func overridesAndRuleScopesReachTheConfiguredRule() throws {
        let policy = try loader.load(text: """
            rules:
              duplicate_definition:
                include: [app/]
                exclude: ["**/generated/**"]
            overrides:
              - files: ["app/legacy/**"]
                rules:
                  DUP001: {severity: note, ignore_names: [Old]}
                  import_cycle: {severity: off}
              - files: ["app/legacy/keep.py"]
                rules:
                  duplicate_definition: {severity: error}
            """)
        #expect(policy.rules["duplicate_definition"]?.include == ["app/"])
        #expect(policy.overrides.count == 2)
        let rule = try #require(try policy.configuredRules(registry: loader.registry).first { $0.description.id == "duplicate_definition" })
        let at = { (path: String) in rule.scope.setting(for: path, severity: rule.severity, options: rule.options) }
        #expect(at("lib/x.py") == nil)
        #expect(at("app/generated/x.py") == nil)
        #expect(at("app/x.py")?.severity == .warning)
        #expect(at("app/legacy/x.py")?.severity == .note)
        #expect(at("app/legacy/x.py")?.options["ignore_names"] == ConfigNode(.sequence([ConfigNode(.scalar(.string("Old")))])))
        #expect(at("app/legacy/keep.py")?.severity == .error)
        #expect(at("app/legacy/keep.py")?.options["ignore_names"] != nil)
    }

    @Test func anOverrideCanEnableARuleThatIsOffByDefaultForSomePaths() throws {
        let policy = try loader.load(text: "rules:\n  import_cycle: {severity: off}\noverrides:\n  - files: [core/]\n    rules:\n      import_cycle: {severity: error}\n")
        #expect(try policy.configuredRules(registry: loader.registry).contains { $0.description.id == "import_cycle" })
    }

    @Test func overrideErrorsNameTheLine() {
        #expect(failure("overrides:\n  - files: [a/]\n    rules:\n      duplicate_defintion: {severity: off}\n")
            .contains("p.yml:4:7: unknown rule 'duplicate_defintion' in overrides[0].rules; did you mean 'duplicate_definition'?"))
        #expect(failure("overrides:\n  - files: [a/]\n    rules:\n      DUP001: {ignore_name: [x]}\n").contains("p.yml:4:16: unknown key 'ignore_name'"))
        #expect(failure("overrides:\n  - files: [a/]\n    rules:\n      DUP001: {include: [x]}\n").contains("'overrides[0].rules.duplicate_definition.include' is not allowed in an override"))
        #expect(failure("overrides:\n  - rules: {}\n").contains("needs both 'files' (globs) and 'rules'"))
        #expect(failure("overrides:\n  - files: []\n    rules: {}\n").contains("'overrides[0].files' is empty"))
        #expect(failure("overrides:\n  - files: [a]\n    rule: {}\n").contains("did you mean 'rules'?"))
        #expect(failure("overrides:\n  - files: [a]\n    rules:\n      DUP001: {severity: loud}\n").contains("use one of error, warning, note, off"))
        #expect(failure("overrides: {}\n").contains("'overrides' must be a list"))
        #expect(failure("rules:\n  DUP001:\n    include: app/\n").contains("'rules.DUP001.include' must be a list"))
    }
}

@Suite struct ExtendsTests {
    let loader = PolicyLoader(registry: BuiltinRules.registry())

    func tree(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("canon-extends-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func aChainOfParentsIsLaidFromTheFarthestAndOverridesAccumulate() throws {
        let root = try tree([
            ".canon.yml": "extends: config/team.yml\nrules:\n  duplicate_definition: {min_definitions: 4}\noverrides:\n  - files: [b/]\n    rules: {DUP001: {severity: note}}\n",
            "config/team.yml": "extends: ../shared/org.yml\nrules:\n  duplicate_definition: {severity: error}\noverrides:\n  - files: [a/]\n    rules: {DUP001: {severity: off}}\n",
            "shared/org.yml": "extends: default\nrules:\n  duplicate_definition: {min_definitions: 3, include_tests: true}\nforbidden:\n  - {name: f, from: [a], to: [b]}\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let policy = try loader.load(root: root)
        let setting = try #require(policy.rules["duplicate_definition"])
        #expect(setting.severity == .error)
        #expect(setting.options["min_definitions"] == ConfigNode(.scalar(.int(4))))
        #expect(setting.options["include_tests"] == ConfigNode(.scalar(.bool(true))))
        #expect(policy.overrides.map(\.files) == [["a/"], ["b/"]])
        #expect(policy.settings.forbiddenContracts.map(\.name) == ["f"])
        #expect(policy.sources.count == 4)
    }

    @Test func aMissingParentIsAnErrorAtTheExtendsLine() throws {
        let root = try tree([".canon.yml": "version: 1\nextends: config/nope.yml\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect { try loader.load(root: root) } throws: { error in
            let text = "\(error)"
            return text.contains(".canon.yml:2:10: 'extends' names 'config/nope.yml'") && text.contains("config/nope.yml does not exist")
        }
    }

    @Test func aCycleOfExtendsIsAnErrorListingTheLoop() throws {
        let root = try tree([".canon.yml": "extends: a.yml\n", "a.yml": "extends: b.yml\n", "b.yml": "extends: a.yml\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect { try loader.load(root: root) } throws: { error in
            let text = "\(error)"
            return text.contains("'extends' chain loops") && text.contains("a.yml -> ") && text.contains("b.yml -> ")
        }
    }
}
