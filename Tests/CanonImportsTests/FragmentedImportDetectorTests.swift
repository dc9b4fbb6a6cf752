import Canon
import Testing

/// Small trees, named after what they test, scanned from Python source through the whole pipeline.
@Suite struct FragmentedImportDetectorTests {
    static let reExportChain = [
        "pkg/__init__.py": "from .core import Engine\n\n__all__ = ['Engine']\n",
        "pkg/core/__init__.py": "from .engine import Engine\n",
        "pkg/core/engine.py": "class Engine:\n    pass\n",
        "pkg/core/helpers.py": "from pkg.core.engine import Engine\n",
        "app/a.py": "from pkg import Engine\n",
        "app/b.py": "from pkg.core import Engine\n",
        "app/c.py": "from pkg.core.engine import Engine as E\n",
        "app/d.py": "from pkg import Engine\n",
    ]

    @Test func reExportChainsMeetAtTheTopMostPublicPackage() throws {
        let findings = try scan(Self.reExportChain, rules: ["fragmented_import"]).findings
        #expect(findings.map(\.spot) == ["app/b.py:1:22 fragmented_import", "app/c.py:1:29 fragmented_import"])
        #expect(findings[0].message.contains("imported through 3 module paths"))
        #expect(findings[0].message.contains("use 'from pkg import Engine' (the package's public API, 2 files) instead of pkg.core (1 file)"))
        #expect(findings[1].subject == "pkg.core.engine.Engine")
        #expect(findings[1].related.map(\.location.path) == ["app/a.py", "pkg/core/engine.py"])
    }

    static let undeclaredReExport = [
        "sig/__init__.py": "from sig.dispatcher import Signal, receiver\n",
        "sig/dispatcher.py": "class Signal:\n    pass\n\n\ndef receiver():\n    pass\n",
        "a.py": "from sig import Signal, receiver\n",
        "b.py": "from sig import Signal\nfrom sig.dispatcher import receiver\n",
        "c.py": "from sig.dispatcher import Signal, receiver\n",
    ]

    @Test func anUndeclaredPackageReExportIsCanonicalOnlyWhenItIsThePathInUse() throws {
        let findings = try scan(Self.undeclaredReExport, rules: ["fragmented_import"]).findings
        #expect(findings.map(\.spot) == ["a.py:1:25 fragmented_import", "c.py:1:28 fragmented_import"])
        #expect(findings[0].message.contains("use 'from sig.dispatcher import receiver' (where it is defined, 3 files) instead of sig (1 file)"))
        #expect(findings[1].message.contains("use 'from sig import Signal' (imported by its package, 2 files)"))
    }

    static let aliasByAssignment = [
        "app/websocket/manager.py": "class UnifiedWebSocketManager:\n    pass\n",
        "app/legacy/__init__.py": "",
        "app/legacy/ws.py": "from app.websocket.manager import UnifiedWebSocketManager\n\nWebSocketManager = UnifiedWebSocketManager\n",
        "app/chat.py": "from app.websocket.manager import UnifiedWebSocketManager\n",
        "app/admin.py": "from app.legacy.ws import WebSocketManager\n",
        "app/metrics.py": "import app.legacy.ws as ws\n\n\ndef count():\n    return ws.WebSocketManager.count\n",
    ]

    @Test func aliasesByAssignmentAndAttributeUsesAreTheSameSymbol() throws {
        let findings = try scan(Self.aliasByAssignment, rules: ["fragmented_import"]).findings
        #expect(findings.map(\.spot) == ["app/admin.py:1:27 fragmented_import", "app/metrics.py:5:12 fragmented_import"])
        #expect(findings[1].message.hasPrefix("'ws.WebSocketManager' is app.websocket.manager.UnifiedWebSocketManager"))
        #expect(findings[1].message.contains("from app.websocket.manager import UnifiedWebSocketManager"))
    }

    @Test func conceptCanonicalAndPublicAPIOverrideTheDefault() throws {
        let concept = """
            concepts:
              ws:
                symbols: [UnifiedWebSocketManager]
                canonical: app.legacy.ws
            """
        let byConcept = try scan(Self.aliasByAssignment, rules: ["fragmented_import"], policy: concept).findings
        #expect(byConcept.map(\.location.path) == ["app/chat.py"])
        #expect(byConcept[0].message.contains("'from app.legacy.ws import UnifiedWebSocketManager' (the canonical module of concept 'ws', 2 files)"))
        let publicAPI = "public_api: [app.legacy]"
        let files = Self.aliasByAssignment.merging(["app/legacy/__init__.py": "from .ws import WebSocketManager\n"]) { $1 }
        let byAPI = try scan(files, rules: ["fragmented_import"], policy: publicAPI).findings
        #expect(byAPI.map(\.location.path) == ["app/admin.py", "app/chat.py", "app/metrics.py"])
        #expect(byAPI.allSatisfy { $0.message.contains("'from app.legacy import WebSocketManager' (a public API in the policy, 0 files)") })
    }

    static let starImports = [
        "lib/__init__.py": "",
        "lib/listed.py": "__all__ = ['Shown']\n\n\nclass Shown:\n    pass\n\n\nclass Unlisted:\n    pass\n",
        "lib/everything.py": "from lib.listed import *\n\n\nclass Open:\n    pass\n",
        "app/a.py": "from lib.everything import Shown, Open\n",
        "app/b.py": "from lib.listed import Shown\nfrom lib.everything import Open\n",
        "lib/facade.py": "from lib.everything import *\n",
        "app/c.py": "from lib.facade import Open\n",
        "app/d.py": "from lib.facade import Unlisted, _private\n",
    ]

    @Test func starImportsCarryAllOrPublicNames() throws {
        let findings = try scan(Self.starImports, rules: ["fragmented_import", "unresolved_import"]).findings
        #expect(findings.map(\.spot) == [
            "app/a.py:1:28 fragmented_import", "app/c.py:1:24 fragmented_import", "app/d.py:1:24 unresolved_import",
            "app/d.py:1:34 unresolved_import",
        ])
        #expect(findings[0].subject == "lib.listed.Shown")
        #expect(findings[1].subject == "lib.everything.Open")
    }

    static let relativeLevels = [
        "proj/__init__.py": "",
        "proj/core/__init__.py": "",
        "proj/core/model.py": "class Model:\n    pass\n",
        "proj/core/sub/__init__.py": "",
        "proj/core/sub/deep.py": "from ..model import Model\nfrom ... import core\n",
        "proj/api/__init__.py": "from ..core.model import Model\n",
        "proj/api/views.py": "from . import Model\n",
        "other/use.py": "from proj.core.model import Model\n",
    ]

    @Test func relativeImportsResolveAtEveryLevel() throws {
        let findings = try scan(Self.relativeLevels, rules: ["fragmented_import"]).findings
        #expect(findings.map(\.spot) == ["proj/api/views.py:1:15 fragmented_import"])
        #expect(findings[0].message.contains("instead of proj.api (1 file)"))
    }

    static let importKinds = [
        "m/core.py": "class Thing:\n    pass\n",
        "m/compat.py": "from m.core import Thing\n",
        "m/a.py": "from m.core import Thing\n",
        "m/b.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from m.compat import Thing\n",
        "m/c.py": "def f():\n    from m.compat import Thing\n    return Thing\n",
    ]

    @Test func importKindsChooseWhichImportsCount() throws {
        #expect(try scan(Self.importKinds, rules: ["fragmented_import"]).findings.map(\.spot) == [
            "m/b.py:4:26 fragmented_import", "m/c.py:2:26 fragmented_import",
        ])
        let runtimeOnly = try scan(Self.importKinds, rules: ["fragmented_import"], options: ["fragmented_import": "import_kinds: [runtime]"])
        #expect(runtimeOnly.findings.isEmpty)
        let functions = try scan(Self.importKinds, rules: ["fragmented_import"], options: ["fragmented_import": "import_kinds: [runtime, function]"])
        #expect(functions.findings.map(\.spot) == ["m/c.py:2:26 fragmented_import"])
        let three = try scan(Self.importKinds, rules: ["fragmented_import"], options: ["fragmented_import": "min_paths: 3"])
        #expect(three.findings.isEmpty)
        let ignored = try scan(Self.importKinds, rules: ["fragmented_import"], options: ["fragmented_import": "ignore_symbols: ['Th.*']"])
        #expect(ignored.findings.isEmpty)
    }

    static let reExportCycle = [
        "c/a.py": "from c.b import Loop\n",
        "c/b.py": "from c.a import Loop\n",
        "c/user.py": "from c.a import Loop\n",
        "c/other.py": "from c.b import Loop\n",
    ]

    @Test func aCycleOfReExportsEndsAndIsReportedOnlyAsUnresolved() throws {
        let result = try scan(Self.reExportCycle, rules: ["fragmented_import", "unresolved_import"])
        #expect(result.findings.map(\.spot) == ["c/a.py:1:17 unresolved_import", "c/b.py:1:17 unresolved_import"])
        #expect(result.findings[0].message.contains("cycle (c.a → c.b → c.a)"))
    }
}
