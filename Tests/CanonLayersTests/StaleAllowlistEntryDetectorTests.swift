import Canon
import Foundation
import Testing

@Suite struct StaleAllowlistEntryDetectorTests {
    @Test func exceptEntriesThatMatchNoImportAreReportedOnTheirLine() throws {
        let policy = """
            layers:
              - name: architecture
                layers: [app.api, app.core]
                except:
                  - app.core.money -> app.api.views
                  - app.core.tax -> app.api.views
            forbidden:
              - name: no-requests
                from: [app]
                to: [requests]
                except: [app.core.money -> requests, app.core.http -> requests]
            independence:
              - name: plugins
                modules: [plugins.a, plugins.b]
                except: ["plugins.a -> plugins.b"]
            """
        let found = try findings("stale_allowlist_entry", policy: policy, files: [
            Facts.file("app/api/views.py"),
            Facts.file("app/core/money.py", Facts.from("app.api", "views"), Facts.plain("requests.adapters", line: 2, kind: .typeChecking)),
            Facts.file("plugins/a.py"),
            Facts.file("plugins/b.py"),
        ])
        #expect(places(found) == [".canon.yml:6:9", ".canon.yml:11:42", ".canon.yml:15:14"])
        #expect(found[0].message == "'except' entry 'app.core.tax -> app.api.views' of layers contract 'architecture' matches no import; remove it")
        #expect(found[0].location.range.endColumn == 9 + "app.core.tax -> app.api.views".count)
    }

    @Test func ruleAllowlistEntriesThatSuppressNothingAreReported() throws {
        var a = Facts.file("a.py")
        var b = Facts.file("b.py")
        for (offset, name) in ["Migration", "Invoice"].enumerated() {
            let range = SourceRange(line: offset + 1, column: 1, endLine: offset + 1, endColumn: 7 + name.count)
            let fact = ClassFact(name: name, qualifiedName: name, bases: [], keywords: [], decorators: [], range: range, bodyRange: range, isTopLevel: true)
            a.classes.append(fact)
            if name == "Migration" { b.classes.append(fact) }
        }
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(text: """
            rules:
              duplicate_definition:
                ignore_names: [Migration, Invoice, Gone]
              import_cycle:
                allow: [app.compat]
            """, file: ".canon.yml")
        let rules = try policy.configuredRules(registry: registry, select: ["duplicate_definition", "import_cycle", "stale_allowlist_entry"])
        let found = Engine.run(rules, on: DetectionContext(index: ProjectIndex(files: [a, b]), settings: policy.settings))
        // Invoice is defined once, so ignoring it suppresses nothing either.
        #expect(places(found) == [".canon.yml:3:31", ".canon.yml:3:40", ".canon.yml:5:13"])
        #expect(found.map(\.message) == [
            "'ignore_names' entry 'Invoice' of rule duplicate_definition suppresses nothing; remove it",
            "'ignore_names' entry 'Gone' of rule duplicate_definition suppresses nothing; remove it",
            "'allow' entry 'app.compat' of rule import_cycle suppresses nothing; remove it",
        ])
    }

    @Test func findingsInThePolicyNameItRelativeToTheScanRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("canon-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("config"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "forbidden:\n  - name: x\n    from: [app]\n    to: [app.legacy]\n    except: [app.a -> app.legacy]\n"
            .write(to: root.appendingPathComponent("config/base.yml"), atomically: true, encoding: .utf8)
        try "extends: config/base.yml\n".write(to: root.appendingPathComponent(".canon.yml"), atomically: true, encoding: .utf8)
        try "X = 1\n".write(to: root.appendingPathComponent("a.py"), atomically: true, encoding: .utf8)
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(root: root)
        let rules = try policy.configuredRules(registry: registry, select: ["stale_allowlist_entry"])
        let result = try Engine.scan(ScanRequest(root: root, policy: policy, rules: rules, jobs: 1))
        #expect(places(result.findings) == ["config/base.yml:5:14"])
    }
}
