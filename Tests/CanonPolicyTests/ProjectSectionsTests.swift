import Canon
import Testing

@Suite struct ProjectSectionsTests {
    let loader = PolicyLoader(registry: BuiltinRules.registry())

    @Test func conceptsDeprecationsPublicAPIAndRootsAreRead() throws {
        let policy = try loader.load(text: """
            concepts:
              websocket-manager:
                symbols: [WebSocketManager]
                pattern: ".*WebSocketManager.*"
                canonical: app.websocket_core.manager
                max_files: 200
            deprecated:
              - module: app.old
                use: app.new
                symbols: [Thing]
                message: moved in 2025
            public_api: [app.api]
            roots: [services/a/src/, ./services/b/src]
            """)
        let settings = policy.settings
        #expect(settings.concepts == [Concept(
            name: "websocket-manager", symbols: ["WebSocketManager"], pattern: ".*WebSocketManager.*",
            canonical: "app.websocket_core.manager", maxFiles: 200, mark: settings.concepts.first?.mark)])
        #expect(settings.concepts.first?.mark?.line == 2)
        #expect(settings.deprecated.map(\.module) == ["app.old"])
        #expect(settings.deprecated.first?.use == "app.new")
        #expect(settings.publicAPI == ["app.api"])
        #expect(settings.roots == ["services/a/src", "services/b/src"])
    }

    @Test func sectionErrorsNameTheLine() {
        func failure(_ text: String) -> String {
            do {
                _ = try loader.load(text: text, file: "p.yml")
                return ""
            } catch { return error.description }
        }
        #expect(failure("concepts:\n  ws:\n    symbol: [A]\n").contains("p.yml:3:5: unknown key 'symbol' in 'concepts.ws'; did you mean 'symbols'?"))
        #expect(failure("concepts:\n  ws:\n    canonical: a.b\n").contains("needs 'symbols' or 'pattern'"))
        #expect(failure("concepts:\n  ws:\n    pattern: '(['\n").contains("not a valid regular expression"))
        #expect(failure("deprecated:\n  - use: x\n").contains("'deprecated[0].module' is required"))
        #expect(failure("deprecated: {}\n").contains("'deprecated' must be a list"))
        #expect(failure("public_api: app\n").contains("'public_api' must be a list"))
    }
}
