import Canon
import Foundation
import Testing

@testable import CanonFix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The importer styles of the large tree, by index; style 8 (a module imported whole) cannot be fixed.
private func importer(_ i: Int) -> String {
    switch i % 12 {
    case 0: "from app.shim import Order\n\nx = Order\n"
    case 1: "from app.shim import Order as O\n\nx = O\n"
    case 2: "from app.shim import (  # models\n    Order,  # orders\n    Item,\n)\n\nx = Order, Item\n"
    case 3: "from ..shim import Order, Item\n\nx = Order, Item\n"
    case 4: "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.shim import Item\n\n\ndef f(i: 'Item') -> None:\n    pass\n"
    case 5: "def f():\n    from app.shim import Order\n    return Order()\n"
    case 6: "import os\r\nfrom app.shim import Order, \\\r\n    Item\r\n\r\nx = os, Order, Item\r\n"
    case 7: "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nfrom app.shim import Item\n\nx: Item\n"
    case 8: "import app.shim as m\n\nx = m.Order\n"
    case 9: "from app.real import Item\nfrom app.shim import Order\n\nx = Order, Item\n"
    case 10: "from app.real.models import Order\n\nx = Order\n"
    default: "from app.shim import Order; from app.shim import Item as I\n\nx = Order, I\n"
    }
}

private func largeTree() throws -> FixTree {
    var files = shimProject
    files["app/users/__init__.py"] = ""
    for i in 0..<200 { files["app/users/u\(i).py"] = importer(i) }
    return try FixTree(files)
}

private func snapshot(_ tree: FixTree) throws -> [String: String] {
    var out: [String: String] = [:]
    for i in 0..<200 { out["u\(i)"] = try tree.read("app/users/u\(i).py") }
    return out
}

@Suite struct FixerTests {
    @Test func twoHundredImportersAreFixedAndASecondRunChangesNothing() throws {
        let tree = try largeTree()
        defer { tree.remove() }
        let before = try tree.fix(write: false)
        let whole = (0..<200).filter { $0 % 12 == 8 }.count
        #expect(before.remaining.count > 200)
        // `import app.shim as m` and its `m.Order` use: two findings, neither fixable.
        #expect(before.unfixable.count == 2 * whole)

        let first = try tree.fix()
        #expect(first.skipped.isEmpty, "\(first.skipped)")
        #expect(first.rewrites.count == 200 - whole)
        #expect(first.remaining.isEmpty, "\(first.remaining.map(\.message))")
        let fixed = try snapshot(tree)
        #expect(!fixed.values.contains { $0.contains("from app.shim import") || $0.contains("from ..shim") })
        #expect(fixed["u3"] == "from ..real import Order, Item\n\nx = Order, Item\n")
        #expect(fixed["u6"] == "import os\r\nfrom app.real import Order, \\\r\n    Item\r\n\r\nx = os, Order, Item\r\n")
        #expect(fixed["u10"] == "from app.real import Order\n\nx = Order\n")
        #expect(fixed["u11"] == "from app.real import Order; from app.real import Item as I\n\nx = Order, I\n")

        let second = try tree.fix()
        #expect(second.rewrites.isEmpty)
        #expect(second.remaining.isEmpty)
        #expect(try snapshot(tree) == fixed)
    }

    @Test(.enabled(if: python3 != nil, "python3 is not on PATH, so the fixed tree cannot be compiled"))
    func everyFixedFileStillCompiles() throws {
        let tree = try largeTree()
        defer { tree.remove() }
        _ = try tree.fix()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python3!)
        process.arguments = ["-m", "compileall", "-q", tree.url.path]
        let errors = Pipe()
        process.standardOutput = errors
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
    }

    @Test func aReadOnlyFileIsReportedAndLeftAsItIs() throws {
        var files = shimProject
        files["app/user.py"] = "from app.shim import Order\n"
        files["app/other.py"] = "from app.shim import Item\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        chmod(tree.url.appendingPathComponent("app/user.py").path, 0o444)
        let result = try tree.fix()
        #expect(result.skipped.map(\.path) == ["app/user.py"])
        #expect(result.skipped.first?.reason.contains("read-only") == true)
        #expect(try tree.read("app/user.py") == "from app.shim import Order\n")
        #expect(try tree.read("app/other.py") == "from app.real import Item\n")
        #expect(result.remaining.map(\.location.path) == ["app/user.py"])
    }

    @Test func anImportSuppressedInlineIsLeftAsItIs() throws {
        var files = shimProject
        let kept = "from app.shim import Order  # canon: ignore[deprecated_import] -- migrated next quarter\n"
        files["app/user.py"] = kept
        files["app/other.py"] = "from app.shim import Item\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        let result = try tree.fix()
        #expect(try tree.read("app/user.py") == kept)
        #expect(try tree.read("app/other.py") == "from app.real import Item\n")
        #expect(result.remaining.isEmpty)
    }

    @Test func permissionsAreKept() throws {
        var files = shimProject
        files["app/user.py"] = "from app.shim import Order\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        let path = tree.url.appendingPathComponent("app/user.py").path
        chmod(path, 0o751)
        _ = try tree.fix()
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o7777 == 0o751)
        #expect(try tree.read("app/user.py") == "from app.real import Order\n")
    }

    @Test func diffWritesNothing() throws {
        var files = shimProject
        files["app/user.py"] = "import os\nfrom app.shim import Order\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        let result = try tree.fix(write: false)
        #expect(try tree.read("app/user.py") == "import os\nfrom app.shim import Order\n")
        #expect(
            result.rewrites.map(\.diff) == [
                "--- a/app/user.py\n+++ b/app/user.py\n@@ -1,2 +1,2 @@\n import os\n-from app.shim import Order\n+from app.real import Order\n"
            ])
        #expect(result.remaining.count == 1)
    }

    @Test func aFileChangedSinceItWasReadIsSkipped() throws {
        var files = shimProject
        files["app/user.py"] = "from app.shim import Order\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        let (index, finding) = try scanned(tree)
        let bytes = Array(try tree.read("app/user.py").utf8)
        let rewrite = try FileRewrite.plan(findings: [finding], bytes: bytes, facts: index.file(forModule: "app.user")!, index: index).get()
        try tree.write("app/user.py", "from app.shim import Order  # edited meanwhile\n")
        let failure = FileWriter.write(rewrite, root: tree.url)
        #expect(failure?.reason.contains("changed since it was read") == true)
        #expect(try tree.read("app/user.py") == "from app.shim import Order  # edited meanwhile\n")
    }

    @Test func aMoveThatWouldBindAnotherObjectIsRefused() throws {
        var files = shimProject
        files["app/user.py"] = "from app.shim import Order\n"
        files["app/fake.py"] = "class Order:\n    pass\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        let (index, finding) = try scanned(tree)
        var wrong = finding
        var move = try #require(finding.fix?.move)
        move.target = "app.fake"
        wrong.fix = .move(move)
        let bytes = Array(try tree.read("app/user.py").utf8)
        let result = FileRewrite.plan(findings: [wrong], bytes: bytes, facts: index.file(forModule: "app.user")!, index: index)
        guard case .failure(let failure) = result else {
            Issue.record("the move was accepted")
            return
        }
        #expect(failure.reason.contains("would change what it binds"))
        #expect(failure.reason.contains("app.real.models.Order"))
    }

    @Test func nothingOutsideTheScanRootIsWritten() throws {
        var files = shimProject
        files["app/user.py"] = "from app.shim import Order\n"
        let tree = try FixTree(files)
        let outside = try FixTree(["linked.py": "from app.shim import Item\n"])
        defer {
            tree.remove()
            outside.remove()
        }
        try FileManager.default.createSymbolicLink(
            at: tree.url.appendingPathComponent("app/linked.py"), withDestinationURL: outside.url.appendingPathComponent("linked.py"))
        let result = try tree.fix()
        #expect(try outside.read("linked.py") == "from app.shim import Item\n")
        #expect(try tree.read("app/user.py") == "from app.real import Order\n")
        #expect(result.rewrites.map(\.path) == ["app/user.py"])
    }

    /// The index of a tree and its one fixable finding, in `app/user.py`.
    private func scanned(_ tree: FixTree) throws -> (ProjectIndex, Finding) {
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(root: tree.url)
        let facts = Engine.collectFacts(root: tree.url, policy: policy, jobs: 1)
        let index = ProjectIndex(files: facts.files)
        let rules = try policy.configuredRules(registry: registry, select: ["deprecated_import"], ignore: [])
        let findings = Engine.run(rules, on: DetectionContext(index: index, settings: policy.settings))
        return (index, try #require(findings.first { $0.location.path == "app/user.py" && $0.isFixable }))
    }
}

extension FixerTests {
    @Test func eachFindingHasItsOwnEdits() throws {
        var files = shimProject
        files["app/user.py"] = "from app.shim import Order, Item\n"
        let tree = try FixTree(files)
        defer { tree.remove() }
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(root: tree.url)
        let facts = Engine.collectFacts(root: tree.url, policy: policy, jobs: 1)
        let index = ProjectIndex(files: facts.files)
        let findings = Engine.run(
            try policy.configuredRules(registry: registry, select: ["deprecated_import"], ignore: []),
            on: DetectionContext(index: index, settings: policy.settings))
        let edits = Fixer.editsPerFinding(findings, root: tree.url, index: index)
        #expect(findings.count == 2)
        // Each alone: the first name moves out, and the second.
        #expect(edits[findings[0]].flatMap { ScalarText("from app.shim import Order, Item\n").applying($0) } == "from app.shim import Item\nfrom app.real import Order\n")
        #expect(edits[findings[1]].flatMap { ScalarText("from app.shim import Order, Item\n").applying($0) } == "from app.shim import Order\nfrom app.real import Item\n")
    }
}
