import Canon
import Testing

@Suite struct ImportCycleDetectorTests {
    @Test func aThreeModuleCycleIsOneFindingAtItsFirstSite() throws {
        let found = try findings("import_cycle", files: [
            Facts.file("app/c.py", Facts.plain("app.a", line: 4)),
            Facts.file("app/a.py", Facts.plain("os"), Facts.from("app", "b", line: 2)),
            Facts.file("app/b.py", Facts.from("app", "c", line: 3)),
        ])
        #expect(places(found) == ["app/a.py:2:17"])
        #expect(found[0].message == "import cycle: app.a -> app.b -> app.c -> app.a; move what they share into a module both import")
        #expect(found[0].related.map { "\($0.location.path):\($0.location.range.line)" } == ["app/b.py:3", "app/c.py:4"])
        #expect(found[0].subject == "cycle: app.a, app.b, app.c")
    }

    @Test func separateCyclesAreSeparateFindingsAndATangleIsOne() throws {
        let found = try findings("import_cycle", files: [
            Facts.file("a.py", Facts.plain("b")),
            Facts.file("b.py", Facts.plain("a"), Facts.plain("c", line: 2)),
            Facts.file("c.py", Facts.plain("d")),
            Facts.file("d.py", Facts.plain("b")),
            Facts.file("x.py", Facts.plain("y")),
            Facts.file("y.py", Facts.plain("x")),
        ])
        #expect(places(found) == ["a.py:1:8", "x.py:1:8"])
        #expect(found[0].message.contains("import cycle: a -> b -> a (one cycle of a tangle of 4 modules)"))
    }

    @Test func typeCheckingAndFunctionImportsAreLeftOutByDefault() throws {
        let files = [
            Facts.file("a.py", Facts.plain("b")),
            Facts.file("b.py", Facts.plain("a", kind: .typeChecking), Facts.plain("c", line: 2)),
            Facts.file("c.py", Facts.plain("a", kind: .function)),
        ]
        #expect(try findings("import_cycle", files: files).isEmpty)
        #expect(places(try findings("import_cycle", options: "import_kinds: [runtime, function]", files: files)) == ["a.py:1:8"])
    }

    @Test func depthLooksForCyclesBetweenPackages() throws {
        let files = [
            Facts.file("app/api/views.py", Facts.from("app.core.models", "Order")),
            Facts.file("app/core/models.py"),
            Facts.file("app/core/signals.py", Facts.from("app.api.views", "handler", line: 2)),
        ]
        #expect(try findings("import_cycle", files: files).isEmpty)
        let found = try findings("import_cycle", options: "depth: 2", files: files)
        #expect(places(found) == ["app/api/views.py:1:29"])
        #expect(found[0].message.hasPrefix("import cycle: app.api -> app.core -> app.api"))
    }

    @Test func allowedModulesNeverCount() throws {
        let files = [Facts.file("app/a.py", Facts.from("app", "compat")), Facts.file("app/compat.py", Facts.from("app", "a"))]
        #expect(try findings("import_cycle", options: "allow: ['app.compat']", files: files).isEmpty)
        #expect(try findings("import_cycle", options: "allow: ['app.*']", files: files).isEmpty)
        #expect(try findings("import_cycle", options: "allow: ['lib']", files: files).count == 1)
    }

    @Test func badOptionsAreErrors() {
        #expect { try findings("import_cycle", options: "depth: -1", files: []) } throws: { "\($0)".contains("negative") }
        #expect { try findings("import_cycle", options: "allow: ['app..x']", files: []) } throws: { "\($0)".contains("empty module name") }
        #expect { try findings("import_cycle", options: "import_kinds: [sometimes]", files: []) } throws: { "\($0)".contains("rules.import_cycle") }
    }
}
