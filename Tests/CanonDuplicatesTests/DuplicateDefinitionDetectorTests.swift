import Canon
import Testing

@Suite struct DuplicateDefinitionDetectorTests {
    let registry = BuiltinRules.registry()

    func scan(_ files: [(String, String)], options: String = "") throws -> [Finding] {
        let policy = try PolicyLoader(registry: registry).load(
            text: "rules:\n  duplicate_definition:\n    severity: warning\n" + options)
        let rules = try policy.configuredRules(registry: registry, select: ["duplicate_definition"])
        return Engine.scan(sources: files.map { ($0.0, Array($0.1.utf8)) }, rules: rules).findings
    }

    @Test func threeModulesGiveThreeFindingsEachNamingTheOtherTwo() throws {
        let findings = try scan([
            ("a/x.py", "class Thing:\n    pass\n"),
            ("b/y.py", "class Thing:\n    pass\n"),
            ("c/z.py", "@decorated\nclass Thing(Base):\n    pass\n"),
        ])
        #expect(findings.map(\.location.path) == ["a/x.py", "b/y.py", "c/z.py"])
        #expect(findings[0].message.contains("b.y and c.z"))
        #expect(findings[1].message.contains("a.x and c.z"))
        #expect(findings[2].message.contains("a.x and b.y"))
        #expect(findings[2].location.range == SourceRange(line: 2, column: 1, endLine: 2, endColumn: 12))
        #expect(findings[0].related.map(\.location.path) == ["b/y.py", "c/z.py"])
        #expect(findings.allSatisfy { $0.code == "DUP001" && $0.severity == .warning })
    }

    @Test func minDefinitionsRaisesTheBar() throws {
        let files = [("a.py", "class T: pass\n"), ("b.py", "class T: pass\n")]
        #expect(try scan(files).count == 2)
        #expect(try scan(files, options: "    min_definitions: 3\n").isEmpty)
    }

    @Test func testsCountWhenAskedAndPatternsAreConfigurable() throws {
        let files = [("app/a.py", "class T: pass\n"), ("app/tests/b.py", "class T: pass\n"), ("app/b_test.py", "class T: pass\n")]
        #expect(try scan(files).isEmpty)
        #expect(try scan(files, options: "    include_tests: true\n").count == 3)
        #expect(try scan(files, options: "    test_patterns: ['*_test.py']\n").count == 2)
    }

    @Test func stubBesideItsSourceIsTheSameModule() throws {
        #expect(try scan([("pkg/m.py", "class T: pass\n"), ("pkg/m.pyi", "class T: ...\n")]).isEmpty)
    }

    @Test func conditionalDefinitionsInOneModuleCountOnce() throws {
        let source = "try:\n    class T: pass\nexcept ImportError:\n    class T: pass\n"
        #expect(try scan([("m.py", source)]).isEmpty)
    }

    @Test func ignoreNamesMatchWholeNames() throws {
        let files = [("a.py", "class MetaData: pass\n"), ("b.py", "class MetaData: pass\n")]
        #expect(try scan(files, options: "    ignore_names: ['Meta']\n").count == 2)
        #expect(try scan(files, options: "    ignore_names: ['Meta.*']\n").isEmpty)
    }
}
