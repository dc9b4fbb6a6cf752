import Canon
import Foundation
import Testing

/// `canon` on a Swift package: targets are modules, and `--absolute-paths` gives compiler-style locations.
@Suite struct SwiftScanTests {
    func package() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.write(".canon.yml", "version: 1\n")
        try tree.write(
            "Package.swift",
            "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: \"P\", targets: [.target(name: \"Store\"), .target(name: \"Old\", path: \"Legacy\")])\n")
        try tree.write("Sources/Store/Order.swift", "public struct Order {}\n")
        try tree.write("Legacy/Order.swift", "import Store\n\nstruct Order {}\n")
        try tree.write("Tests/StoreTests/Fakes.swift", "struct Order {}\n")
        return tree
    }

    @Test func typesOfOneNameInTwoTargetsAreReported() throws {
        let tree = try package()
        defer { tree.remove() }
        let run = runCanon(["scan", tree.path(), "--select", "duplicate_definition"])
        #expect(run.code == 1)
        #expect(
            run.stdout.split(separator: "\n") == [
                "Legacy/Order.swift:3:1: warning: struct 'Order' is also defined in Store; keep one definition and import it [duplicate_definition]",
                "Sources/Store/Order.swift:1:1: warning: struct 'Order' is also defined in Old; keep one definition and import it [duplicate_definition]",
                "Scanned 4 files: 2 findings (2 warnings).",
            ])
    }

    @Test func absolutePathsForBuildLogs() throws {
        let tree = try package()
        defer { tree.remove() }
        let run = runCanon(["scan", tree.path("Legacy"), "--select", "DUP001", "--absolute-paths", "--quiet"])
        let root = tree.url.standardizedFileURL.resolvingSymlinksInPath().path
        #expect(run.stdout == "\(root)/Legacy/Order.swift:3:1: warning: struct 'Order' is also defined in Store; keep one definition and import it [duplicate_definition]\n")
    }

    @Test func factsShowSwiftKindsAndModules() throws {
        let tree = try package()
        defer { tree.remove() }
        let run = runCanon(["facts", tree.path("Legacy"), "--format", "text"])
        #expect(run.stdout == "Legacy/Order.swift (module Old)\n  1:8 import Store [runtime]\n  3:1 struct Order\n")
    }
}
