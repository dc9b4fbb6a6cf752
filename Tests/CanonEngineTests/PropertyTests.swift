import Canon
import Foundation
import Testing

/// A small deterministic generator (SplitMix64), so a failing order can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Properties of reading and scanning that hold for any tree: facts do not depend on what else is read or in
/// which order, and findings do not depend on where the tree lies.
@Suite struct PropertyTests {
    /// A Python and Swift tree with packages, relative imports, duplicates, shims, singletons, suppressions and
    /// a file that does not parse, plus the repository's own fixture trees.
    static func tree() throws -> [String: [UInt8]] {
        var files: [String: String] = [
            "app/__init__.py": "from .models import Order\n",
            "app/models.py": "import threading\n\n\nclass Order:\n    registry = {}\n\n\n_lock = threading.Lock()\n",
            "app/legacy/__init__.py": "import warnings\nwarnings.warn('use app', DeprecationWarning)\nfrom app.models import Order  # noqa\n",
            "app/legacy/models.py": "class Order:  # canon: ignore[duplicate_definition]\n    pass\n",
            "app/views.py": "from app.legacy import Order\nfrom . import models\nfrom ..outside import x\n\n\nclass View(models.Order):\n    cache = []\n",
            "app/broken.py": "def f(:\n    pass\n",
            "tools/run.py": "import app.models as m\n_instance = None\n\n\ndef get():\n    global _instance\n    if _instance is None:\n        _instance = m.Order()\n    return _instance\n",
            "Package.swift": "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: \"P\", targets: [.target(name: \"Store\"), .target(name: \"LegacyStore\")])\n",
            "Sources/Store/Order.swift": "public struct Order {}\nnonisolated(unsafe) var shared = [Int]()\n",
            "Sources/LegacyStore/Order.swift": "import Store\n\n@available(*, deprecated, renamed: \"Store.Order\")\npublic struct Order {}\n",
        ]
        for i in 0..<12 { files["app/generated/m\(i).py"] = "from app.models import Order\n\n\nclass Order\(i % 3)(Order):\n    pass\n" }
        var bytes = files.mapValues { Array($0.utf8) }
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        for fixtures in ["CanonCommandLineTests/Fixtures", "CanonLayersTests/Fixtures"] {
            let root = tests.appendingPathComponent(fixtures)
            for case let path as String in FileManager.default.enumerator(atPath: root.path) ?? .init()
            where path.hasSuffix(".py") || path.hasSuffix(".swift") {
                bytes["fixtures/\(fixtures.prefix { $0 != "/" })/\(path)"] = Array(try Data(contentsOf: root.appendingPathComponent(path)))
            }
        }
        return bytes
    }

    @Test func factsAreTheSameReadAloneOrInATreeInAnyOrder() throws {
        let files = try Self.tree()
        let paths = files.keys.sorted()
        let frontEnds = BuiltinRules.frontEnds
        func index(_ order: [String]) -> [String: FileFacts] {
            let result = Engine.index(sources: order.map { ($0, files[$0]!) }, frontEnds: frontEnds).facts
            return Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, $0) })
        }
        let sorted = index(paths)
        #expect(sorted.count > 20)
        var generator = SeededGenerator(state: 11)
        for _ in 0..<3 {
            #expect(index(paths.shuffled(using: &generator)) == sorted)
        }
        let layout = ProjectLayout(paths: paths, read: { files[$0] })
        let readers = frontEnds.map { ($0, $0.reader(for: layout)) }
        for path in paths.shuffled(using: &generator) {
            guard let reader = readers.first(where: { $0.0.handles(path: path) })?.1 else { continue }
            let alone = try? reader.facts(source: files[path]!, path: path)
            #expect(alone == sorted[path], "\(path)")
        }
    }

    @Test func aTreeCopiedElsewhereGivesTheSameFindings() throws {
        let files = try Self.tree()
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("canon-property-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let registry = BuiltinRules.registry()
        func scan(_ root: URL) throws -> ScanResult {
            for (path, bytes) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            }
            let policy = try PolicyLoader(registry: registry).load(root: root)
            let rules = try policy.configuredRules(registry: registry)
            return try Engine.scan(ScanRequest(root: root, policy: policy, rules: rules, jobs: 2, frontEnds: registry.frontEnds))
        }
        let first = try scan(base.appendingPathComponent("one/project"))
        let second = try scan(base.appendingPathComponent("two/deeper/still/project"))
        #expect(!first.findings.isEmpty && !first.errors.isEmpty)
        #expect(first.findings == second.findings)
        #expect(first.suppressed == second.suppressed)
        #expect(first.errors == second.errors)
    }
}
