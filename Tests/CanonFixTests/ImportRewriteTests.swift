import Canon
import Foundation
import Testing

/// Each edge case of rewriting an import, end to end: scan, fix on disk, read back.
@Suite struct ImportRewriteTests {
    /// Fixes one importer `app/user.py` next to the shim project and returns its new text.
    func fixed(_ user: String, extra: [String: String] = [:], policy: String = "") throws -> (text: String, result: FixResult) {
        var files = shimProject.merging(extra) { $1 }
        files["app/user.py"] = user
        let tree = try FixTree(files, policy: policy)
        defer { tree.remove() }
        let result = try tree.fix()
        return (try tree.read("app/user.py"), result)
    }

    @Test func singleNameMovesInPlace() throws {
        let (text, result) = try fixed("from app.shim import Order\n")
        #expect(text == "from app.real import Order\n")
        #expect(result.remaining.isEmpty)
        #expect(result.rewrites.map(\.path) == ["app/user.py"])
    }

    @Test func aliasesAreKept() throws {
        let (text, _) = try fixed("from app.shim import Order as O, Item as I\n")
        #expect(text == "from app.real import Order as O, Item as I\n")
    }

    @Test func aTargetThatBindsAnotherNameKeepsTheLocalName() throws {
        let (text, _) = try fixed(
            "from app.legacy import OldOrder\n",
            extra: ["app/legacy.py": "import warnings\n\nwarnings.warn('gone', DeprecationWarning)\n\nfrom app.real.models import Order as OldOrder\n"],
            policy: "deprecated:\n  - module: app.legacy\n    use: app.real\n")
        #expect(text == "from app.real import Order as OldOrder\n")
    }

    @Test func parenthesisedMultiLineImportKeepsItsShapeAndComments() throws {
        let source = "from app.shim import (  # the models\n    Order,  # orders\n    Item,\n)\n"
        let (text, _) = try fixed(source)
        #expect(text == "from app.real import (  # the models\n    Order,  # orders\n    Item,\n)\n")
    }

    @Test func movedAndKeptNamesSplitTheImport() throws {
        let (text, _) = try fixed(
            "from app.compat import helper, Order, VERSION\n",
            extra: ["app/compat.py": "from app.real.models import Order\n\nVERSION = 1\n\n\ndef helper():\n    pass\n"],
            policy: "deprecated:\n  - module: app.compat\n    symbols: [Order]\n    use: app.real\n")
        #expect(text == "from app.compat import helper, VERSION\nfrom app.real import Order\n")
    }

    @Test func commentsInsideASplitImportStay() throws {
        let (text, _) = try fixed(
            "from app.compat import (\n    helper,  # kept\n    Order,  # moved\n    VERSION\n)\n",
            extra: ["app/compat.py": "from app.real.models import Order\n\nVERSION = 1\n\n\ndef helper():\n    pass\n"],
            policy: "deprecated:\n  - module: app.compat\n    symbols: [Order]\n    use: app.real\n")
        #expect(text == "from app.compat import (\n    helper,  # kept\n    # moved\n    VERSION\n)\nfrom app.real import Order\n")
    }

    @Test func theLastNameTakesItsCommaWithIt() throws {
        let (text, _) = try fixed(
            "from app.compat import helper, Order\n",
            extra: ["app/compat.py": "from app.real.models import Order\n\n\ndef helper():\n    pass\n"],
            policy: "deprecated:\n  - module: app.compat\n    symbols: [Order]\n    use: app.real\n")
        #expect(text == "from app.compat import helper\nfrom app.real import Order\n")
    }

    @Test func aNameJoinsAnExistingImportFromItsNewModule() throws {
        let (text, _) = try fixed("from app.real import Item\nfrom app.shim import Order\n\nx = Order\n")
        #expect(text == "from app.real import Item, Order\n\nx = Order\n")
    }

    @Test func aNameAlreadyImportedFromItsNewModuleIsDropped() throws {
        let (text, _) = try fixed("from app.real import Order\nfrom app.shim import Order\n")
        #expect(text == "from app.real import Order\n")
    }

    @Test func crlfLineEndingsAreKept() throws {
        let (text, _) = try fixed("import os\r\nfrom app.compat import helper, Order\r\n\r\nx = 1\r\n",
            extra: ["app/compat.py": "from app.real.models import Order\n\n\ndef helper():\n    pass\n"],
            policy: "deprecated:\n  - module: app.compat\n    symbols: [Order]\n    use: app.real\n")
        #expect(text == "import os\r\nfrom app.compat import helper\r\nfrom app.real import Order\r\n\r\nx = 1\r\n")
    }

    @Test func futureImportsStayFirst() throws {
        let (text, _) = try fixed("\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nfrom app.shim import Order\n")
        #expect(text == "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nfrom app.real import Order\n")
    }

    @Test func typeCheckingImportsAreFixedInTheirBlock() throws {
        let source = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.shim import Order\n\n\ndef f(o: 'Order'):\n    pass\n"
        let (text, _) = try fixed(source)
        #expect(text == source.replacingOccurrences(of: "app.shim", with: "app.real"))
    }

    @Test func aRelativeImportStaysRelativeInsideItsPackage() throws {
        var files = shimProject
        files["app/sub/__init__.py"] = ""
        files["app/sub/user.py"] = "from ..shim import Order\nfrom ..shim.more import Thing\n"
        files["app/shim/more.py"] = "from app.other import Thing\n"
        files["app/other.py"] = "class Thing:\n    pass\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        _ = try tree.fix()
        #expect(try tree.read("app/sub/user.py") == "from ..real import Order\nfrom ..other import Thing\n")
    }

    @Test func aRelativeImportBecomesAbsoluteWhenTheTargetIsOutsideItsPackage() throws {
        var files = shimProject
        files["lib/__init__.py"] = ""
        files["lib/user.py"] = "from .compat import Order\n"
        files["lib/compat.py"] = "from app.real.models import Order\n"
        let tree = try FixTree(files, policy: "deprecated:\n  - module: lib.compat\n    use: app.real\n")
        defer { tree.remove() }
        _ = try tree.fix()
        #expect(try tree.read("lib/user.py") == "from app.real import Order\n")
    }

    @Test func functionImportsAreFixedWhereTheyAre() throws {
        let (text, _) = try fixed("def f():\n    from app.shim import Order, Item\n    return Order, Item\n")
        #expect(text == "def f():\n    from app.real import Order, Item\n    return Order, Item\n")
    }

    @Test func aSplitOnACompoundLineUsesASemicolon() throws {
        let (text, _) = try fixed(
            "if True: from app.compat import helper, Order\n",
            extra: ["app/compat.py": "from app.real.models import Order\n\n\ndef helper():\n    pass\n"],
            policy: "deprecated:\n  - module: app.compat\n    symbols: [Order]\n    use: app.real\n")
        #expect(text == "if True: from app.compat import helper; from app.real import Order\n")
    }

    @Test func plainAndStarImportsAreReportedNotFixable() throws {
        let source = "import app.shim as m\nfrom app.shim import *\n\nx = m.Order\n"
        let (text, result) = try fixed(source)
        #expect(text == source)
        let reasons = result.unfixable.filter { $0.location.path == "app/user.py" }.compactMap { $0.fix?.reason }
        #expect(reasons.contains { $0.contains("plain import binds the module") })
        #expect(reasons.contains { $0.contains("star import") })
        #expect(result.remaining.isEmpty)
    }

    @Test func aNameTheTargetDoesNotBindIsNotFixable() throws {
        let (text, result) = try fixed(
            "from app.compat import Order\n",
            extra: ["app/compat.py": "from app.real.models import Order\n"],
            policy: "deprecated:\n  - module: app.compat\n    use: app.elsewhere\n")
        #expect(text == "from app.compat import Order\n")
        #expect(result.unfixable.contains { $0.fix?.reason == "app.elsewhere does not bind 'Order' to the same object as app.compat" })
    }
}

extension ImportRewriteTests {
    @Test func consecutiveMovedLinesLeaveNoBlankLine() throws {
        let (text, _) = try fixed(
            "from app.compat import (\n    helper,\n    Order,\n    Item,\n    VERSION,\n)\n",
            extra: ["app/compat.py": "from app.real.models import Item, Order\n\nVERSION = 1\n\n\ndef helper():\n    pass\n"],
            policy: "deprecated:\n  - module: app.compat\n    symbols: [Order, Item]\n    use: app.real\n")
        #expect(text == "from app.compat import (\n    helper,\n    VERSION,\n)\nfrom app.real import Order, Item\n")
    }

    /// The ways `app.real` can reach back to `app.user` while it initialises: directly; through a submodule
    /// taken by `from app import glue`, a package `__init__` run on the way to a module below it and a second
    /// hop; and, closing no cycle, a lazy import inside a function.
    @Test(arguments: [
        (["app/real/__init__.py": "from core.order import Order\nfrom app.user import helper\n"], true),
        (["app/real/__init__.py": "from core.order import Order\nfrom app import glue\n", "app/hub.py": "import app.user\n"], true),
        (["app/real/__init__.py": "from core.order import Order\nfrom app import glue\n", "app/hub.py": "def later():\n    import app.user\n"], false),
    ])
    func aMoveThatWouldCloseAnImportCycleIsNotFixable(route: [String: String], closesCycle: Bool) throws {
        let user = "from app.compat import Order\n\n\ndef helper():\n    pass\n"
        let (text, result) = try fixed(
            user,
            extra: [
                "core/__init__.py": "",
                "core/order.py": "class Order:\n    pass\n",
                "app/compat.py": "from core.order import Order\n",
                "app/glue.py": "import app.parts.wheel\n",
                "app/parts/__init__.py": "from app import hub\n",
                "app/parts/wheel.py": "",
                "app/hub.py": "",
            ].merging(route) { $1 },
            policy: "deprecated:\n  - module: app.compat\n    use: app.real\n")
        #expect(text == (closesCycle ? user : user.replacingOccurrences(of: "app.compat", with: "app.real")))
        #expect(result.unfixable.contains { $0.fix?.reason?.contains("import cycle") == true } == closesCycle)
    }
}

extension ImportRewriteTests {
    @Test func anImportInAnotherBranchIsNotJoined() throws {
        let source = "import os\n\nif os.name == 'nt':\n    from app.real import Item\nelse:\n    from app.shim import Order\n"
        let (text, _) = try fixed(source)
        #expect(text == source.replacingOccurrences(of: "app.shim", with: "app.real"))
    }

    @Test func aNameBoundElsewhereInTheFileIsNotJoinedEarlier() throws {
        let (text, _) = try fixed("from app.real import Item\n\nOrder = None\n\nfrom app.shim import Order\n")
        #expect(text == "from app.real import Item\n\nOrder = None\n\nfrom app.real import Order\n")
    }

    @Test func typeCheckingImportsJoinInTheirBlock() throws {
        let (text, _) = try fixed(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.real import Item\n    from app.shim import Order\n")
        #expect(text == "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.real import Item, Order\n")
    }

    @Test func aBlockLeftEmptyByAJoinGetsPass() throws {
        let (text, _) = try fixed(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.real import Item\n\nif TYPE_CHECKING:\n    from app.shim import Item\n\nx = 1\n")
        #expect(text == "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.real import Item\n\nif TYPE_CHECKING:\n    pass\n\nx = 1\n")
    }

    @Test func aByteOrderMarkStays() throws {
        let (text, _) = try fixed("\u{FEFF}from app.shim import Order\n")
        #expect(text == "\u{FEFF}from app.real import Order\n")
    }
}
