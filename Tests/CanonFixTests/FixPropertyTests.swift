import Canon
import Foundation
import Testing

/// `canon fix` followed by a scan never finds more fixable findings than before, on trees mixing the importer
/// styles in several mixes.
@Suite struct FixPropertyTests {
    static let importers = [
        "from app.shim import Order\n\nx = Order\n",
        "from app.shim import Order as O, Item\n\nx = O, Item\n",
        "from app.shim import (\n    Order,  # orders\n    Item,\n)\n",
        "from ..shim import Order, Item\n\nx = Order, Item\n",
        "def f():\n    from app.shim import Order\n    return Order()\n",
        "import app.shim as m\n\nx = m.Order\n",
        "from app.real import Item\nfrom app.shim import Order\n\nx = Order, Item\n",
        "from app.shim import Order; from app.shim import Item as I\n",
        "try:\n    from app.shim import Order\nexcept ImportError:\n    Order = None\n",
        "from app.shim import *\n",
        "from app.shim import Order  # canon: ignore[deprecated_import]\n",
        "from app.shim import Order, Missing\n",
    ]

    func fixableCount(_ tree: FixTree) throws -> Int {
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(root: tree.url)
        let rules = try policy.configuredRules(registry: registry)
        return try Engine.scan(ScanRequest(root: tree.url, policy: policy, rules: rules, jobs: 2)).findings
            .filter(\.isFixable).count
    }

    @Test(arguments: [1, 2, 3, 4])
    func fixNeverLeavesMoreFixableFindings(seed: Int) throws {
        var files = shimProject
        for i in 0..<24 {
            // A different mix of styles for each seed, each style over and over.
            files["app/users/u\(i).py"] = Self.importers[(i * (2 * seed + 1) + seed) % Self.importers.count]
        }
        files["app/users/__init__.py"] = ""
        let tree = try FixTree(files)
        defer { tree.remove() }
        let before = try fixableCount(tree)
        #expect(before > 0)
        _ = try tree.fix()
        #expect(try fixableCount(tree) <= before)
        _ = try tree.fix()
        #expect(try fixableCount(tree) <= before)
    }
}
