import Canon
import CanonImports
import Foundation
import Testing

@Suite struct FallbackImportDetectorTests {
    static let fallbacks = [
        "app/__init__.py": "",
        "app/new.py": "class Clock:\n    pass\n",
        "app/old.py": "class Clock:\n    pass\n",
        "app/pure.py": "def fast():\n    pass\n",
        "app/main.py": """
            try:
                from app.new import Clock
            except ImportError:
                from app.old import Clock
            try:
                from app._accel import fast
            except ImportError:
                from app.pure import fast
            try:
                import simplejson as json
            except ImportError:
                import json
            """,
    ]

    @Test func onlyFallbacksBetweenTwoProjectModulesAreReported() throws {
        let findings = try scan(Self.fallbacks, rules: ["fallback_import", "fragmented_import"]).findings
        #expect(findings.map(\.spot) == ["app/main.py:4:25 fallback_import"])
        #expect(findings[0].message.hasPrefix("'Clock' falls back to app.old when app.new cannot be imported"))
        #expect(findings[0].related.map(\.location.range.line) == [2])
    }
}

@Suite struct UnresolvedImportDetectorTests {
    static let danglingFirstParty = [
        "app/__init__.py": "",
        "app/models.py": "class User:\n    pass\n\n\ndef __getattr__(name):\n    raise AttributeError(name)\n",
        "app/moved/__init__.py": "from app.models import User\n",
        "app/views.py": """
            from app.models import User, Anything
            from app.moved import User as U, Account
            from app.gone import A, B
            import app.legacy.models, os.path
            from .. import outside
            from ._speedups import go
            import numpy


            def late():
                from app.moved.account import Account
                return Account
            """,
    ]

    @Test func danglingFirstPartyModulesAndNamesAreReportedOncePerStatement() throws {
        let findings = try scan(Self.danglingFirstParty, rules: ["unresolved_import"]).findings
        #expect(findings.map(\.spot) == [
            "app/views.py:2:34 unresolved_import", "app/views.py:3:22 unresolved_import",
            "app/views.py:4:8 unresolved_import", "app/views.py:5:16 unresolved_import",
            "app/views.py:6:24 unresolved_import", "app/views.py:11:35 unresolved_import",
        ])
        #expect(findings[0].message.hasPrefix("app.moved does not bind 'Account'"))
        #expect(findings[1].message.hasPrefix("module 'app.gone' does not exist in the project"))
        #expect(findings[3].message.contains("climbs above the top-level package"))
        #expect(findings.allSatisfy { $0.severity == .warning })
    }

    @Test func compiledModulesSelfImportsAndModulesRegisteredAtRunTimeResolve() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("canon-unresolved-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = [
            "pkg/__init__.py": "",
            "pkg/_speed.pyx": "def fast():\n    pass\n",
            "pkg/_bin.cpython-312-x86_64-linux-gnu.so": "\u{7F}ELF",
            "pkg/six/__init__.py": "moves = object()\n",
            "pkg/sub/__init__.py": "from . import a, b\n",
            "pkg/sub/a.py": "",
            "pkg/use.py": "from pkg._speed import fast\nfrom pkg import _bin\nfrom pkg.six.moves import zip\nfrom pkg.gone import x\nfrom pkg import __file__ as f\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(text: "version: 1\n")
        let rules = try policy.configuredRules(registry: registry, select: ["unresolved_import"])
        let result = try Engine.scan(ScanRequest(root: root, policy: policy, rules: rules, jobs: 1))
        #expect(result.findings.map(\.spot) == ["pkg/sub/__init__.py:1:18 unresolved_import", "pkg/use.py:4:22 unresolved_import"])
        #expect(result.findings[0].message.hasPrefix("pkg.sub does not bind 'b'"))
    }

    @Test func fallbackImportsAreCheckedOnlyWhenAsked() throws {
        let files = ["app/__init__.py": "", "app/main.py": "try:\n    from app._c import fast\nexcept ImportError:\n    fast = None\n"]
        #expect(try scan(files, rules: ["unresolved_import"]).findings.isEmpty)
        let all = try scan(files, rules: ["unresolved_import"], options: ["unresolved_import": "import_kinds: [fallback]"])
        #expect(all.findings.map(\.spot) == ["app/main.py:2:24 unresolved_import"])
    }
}

@Suite struct ConceptTests {
    static let websocketSprawl = [
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/manager.py": "class UnifiedWebSocketManager:\n    pass\n",
        "app/legacy.py": "from app.core.manager import UnifiedWebSocketManager\n\nWebSocketManager = UnifiedWebSocketManager\n",
        "app/a.py": "from app.core.manager import UnifiedWebSocketManager\n",
        "app/b.py": "from app.legacy import WebSocketManager\n",
        "app/c.py": "from app.legacy import WebSocketManager\n",
        "app/settings.py": "class Settings:\n    pass\n",
        "app/d.py": "from app.settings import Settings\n",
    ]

    static let policy = """
        concepts:
          websocket-manager:
            pattern: ".*WebSocketManager"
            canonical: app.core.manager
            max_files: 10
          settings:
            symbols: [Settings]
        """

    func context(_ files: [String: String], policy: String) throws -> DetectionContext {
        let settings = try PolicyLoader(registry: BuiltinRules.registry()).load(text: policy).settings
        let (facts, index) = Engine.index(sources: files.map { ($0.key, Array($0.value.utf8)) }, settings: settings)
        #expect(facts.errors.isEmpty)
        return DetectionContext(index: index, settings: settings)
    }

    @Test func footprintIsReportedOnceAtTheCanonicalDefinitionWhenFragmented() throws {
        let findings = try scan(Self.websocketSprawl, rules: ["concept_footprint", "fragmented_import"], policy: Self.policy).findings
        #expect(findings.map(\.spot) == [
            "app/b.py:1:24 fragmented_import", "app/c.py:1:24 fragmented_import", "app/core/manager.py:1:1 concept_footprint",
        ])
        #expect(findings[2].message.hasPrefix("concept 'websocket-manager' is fragmented: 2 import paths; move the 2 files on other paths"))
        #expect(findings[2].related.map(\.location.path) == ["app/legacy.py"])
    }

    @Test func maxFilesMakesAConsolidatedConceptAFinding() throws {
        let tight = Self.policy.replacingOccurrences(of: "symbols: [Settings]", with: "symbols: [Settings]\n    max_files: 0")
        let findings = try scan(Self.websocketSprawl, rules: ["concept_footprint"], policy: tight).findings
        #expect(findings.map(\.spot) == ["app/core/manager.py:1:1 concept_footprint", "app/settings.py:1:1 concept_footprint"])
        #expect(findings[1].message.contains("over budget: 1 file import it, max_files is 0"))
    }

    @Test func reportListsEachConceptWithPathsFilesAndVerdict() throws {
        let report = ConceptReport(context: try context(Self.websocketSprawl, policy: Self.policy))
        #expect(report.declaredConcepts)
        #expect(report.entries.map(\.name) == ["settings", "websocket-manager"])
        let ws = report.entries[1]
        #expect(ws.canonical == "from app.core.manager import UnifiedWebSocketManager")
        #expect(ws.definitions.map { "\($0.module).\($0.name)" } == ["app.core.manager.UnifiedWebSocketManager"])
        #expect(ws.bindings.map { "\($0.module).\($0.name):\($0.line)" } == ["app.legacy.WebSocketManager:3"])
        #expect(ws.paths.map { "\($0.module)=\($0.files)\($0.canonical ? "*" : "")" } == ["app.core.manager=2*", "app.legacy=2"])
        #expect(ws.files == ["app/a.py", "app/b.py", "app/c.py", "app/legacy.py"])
        #expect(ws.needsWork)
        #expect(report.entries[0].verdict == "consolidated: one import path (app.settings), 1 file")
        let text = report.rendered(as: .text)
        #expect(text.contains("websocket-manager: fragmented: 2 import paths"))
        #expect(text.contains("  path: app.legacy [WebSocketManager]: 2 files\n"))
        #expect(report.rendered(as: .markdown).contains("| `app.core.manager` (canonical) | `UnifiedWebSocketManager` | 2 |"))
        #expect(report.rendered(as: .json).contains("\"verdict\" : \"consolidated: one import path (app.settings), 1 file\""))
    }

    @Test func withoutConceptsTheReportListsTheMostFragmentedSymbols() throws {
        let report = ConceptReport(context: try context(Self.websocketSprawl, policy: "version: 1"))
        #expect(!report.declaredConcepts)
        #expect(report.entries.map(\.name) == ["app.core.manager.UnifiedWebSocketManager"])
        #expect(report.entries[0].paths.count == 2)
    }
}
