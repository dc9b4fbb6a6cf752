import Canon
import Testing

@Suite struct DeprecatedImportDetectorTests {
    func scan(_ files: [String: String], rules: [String] = ["deprecated_import"], policy: String = "") throws -> [Finding] {
        try ExampleRunner(registry: BuiltinRules.registry()).scan(
            files.map { ($0.key, Array($0.value.utf8)) }, policy: policy, rules: Dictionary(uniqueKeysWithValues: rules.map { ($0, "") })
        ).findings
    }

    static let shimPackage = [
        "app/__init__.py": "",
        "app/core.py": "class Engine:\n    pass\n",
        "app/compat/__init__.py": """
            import warnings


            def _warn():
                warnings.warn("app.compat is deprecated; use app.core", DeprecationWarning, stacklevel=2)


            _warn()
            from app.core import Engine
            from app.compat.extra import VALUE
            """,
        "app/compat/extra.py": "VALUE = 1\n",
        "app/users.py": """
            from typing import TYPE_CHECKING

            from app.compat import Engine
            from app.compat.extra import VALUE

            if TYPE_CHECKING:
                import app.compat


            def later():
                from app.compat import Engine
                return Engine
            """,
    ]

    @Test func aShimWarningThroughALocalFunctionTaintsItsSubmodulesAndTypeCheckingIsANote() throws {
        let findings = try scan(Self.shimPackage)
        #expect(findings.map { "\($0.location.range.line):\($0.location.range.column) \($0.severity)" } == [
            "3:24 warning", "4:30 warning", "7:12 note", "11:28 warning",
        ])
        #expect(findings.allSatisfy { $0.location.path == "app/users.py" })
        #expect(findings[0].message.contains("app.compat warns DeprecationWarning when imported ('app.compat is deprecated; use app.core')"))
        #expect(findings[0].message.hasSuffix("import it from app.core instead"))
        #expect(findings[1].message.contains("importing app.compat.extra runs the __init__ of app.compat"))
        #expect(findings[2].message.contains("only for type checking"))
        #expect(findings[0].related.map(\.location.path) == ["app/compat/__init__.py"])
        #expect(findings[0].related[0].message == "the warning, through _warn()")
    }

    @Test func policyDeprecationsCoverWholeModulesSymbolsAndAttributeUses() throws {
        let files = [
            "lib/old.py": "A = 1\nB = 2\n",
            "lib/older/__init__.py": "",
            "lib/older/inner.py": "C = 3\n",
            "use.py": "from lib.old import A, B\nimport lib.old as o\nfrom lib.older.inner import C\nx = o.A + o.B\n",
        ]
        let policy = """
            deprecated:
              - module: lib.old
                symbols: [A]
                use: lib.new
              - module: lib.older
                message: "gone in 3.0"
            """
        let findings = try scan(files, policy: policy)
        #expect(findings.map { "\($0.location.range.line):\($0.location.range.column)" } == ["1:21", "3:29", "4:5"])
        #expect(findings[0].message == "importing 'A' from lib.old: 'A' of lib.old is deprecated by the policy; import it from lib.new instead")
        #expect(findings[1].message == "importing 'C' from lib.older.inner: lib.older is deprecated by the policy (lib.older.inner is inside it) (gone in 3.0)")
    }

    @Test func aWarningGetattrDeprecatesOnlyNamesTheModuleDoesNotBind() throws {
        let files = [
            "m/models.py": """
                import warnings


                class Current:
                    pass


                def __getattr__(name):
                    warnings.warn(f"{name} moved", DeprecationWarning)
                    return Current
                """,
            "m/use.py": "from m.models import Current, Legacy\nimport m.models\n\nm.models.Old\n",
        ]
        let findings = try scan(files)
        #expect(findings.map { "\($0.location.range.line):\($0.location.range.column)" } == ["1:31", "4:1"])
        #expect(findings[0].message.contains("its __getattr__ warns DeprecationWarning"))
    }

    @Test func oneImportGetsOneFindingUnresolvedThenDeprecatedThenFragmented() throws {
        let files = [
            "app/__init__.py": "",
            "app/core.py": "class Engine:\n    pass\n",
            "app/shim.py": "import warnings\nwarnings.warn('use app.core', DeprecationWarning)\nfrom app.core import Engine\n",
            "app/a.py": "from app.core import Engine\n",
            "app/b.py": "from app.shim import Engine, Missing\n",
        ]
        let all = ["deprecated_import", "fragmented_import", "unresolved_import"]
        let findings = try scan(files, rules: all)
        #expect(findings.map { "\($0.location.path):\($0.location.range.column) \($0.rule)" } == [
            "app/b.py:22 deprecated_import", "app/b.py:30 unresolved_import",
        ])
        let withoutSuperseding = try scan(files, rules: ["fragmented_import"])
        #expect(withoutSuperseding.map(\.rule) == ["fragmented_import"])
    }
}
