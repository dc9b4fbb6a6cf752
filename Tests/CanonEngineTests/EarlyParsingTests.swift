@testable import CanonEngine
import CanonCore
import CanonSwift
import Foundation
import Testing

@Suite struct EarlyParsingTests {
    let files = [
        "__init__.py": "", "a.py": "import os\nfrom .b import B\n\nclass A(B):\n    pass\n", "b.py": "class B: ...\n",
        "broken.py": "def f(:\n    pass\n", "binary.py": "x = 1\u{0}\n", "Sources/Lib/S.swift": "struct S {}\n",
    ]

    /// Offers every file, and waits (up to ten seconds) until `count` are parsed.
    func parse(_ tree: Tree, _ early: Engine.EarlyParsing, expecting count: Int) async throws -> [DiscoveredFile] {
        let found = Discovery(root: tree.url, include: [Glob("**/*.py"), Glob("**/*.swift")], exclude: [], maxFileSize: 1 << 20).run {
            early.offer($0)
        }
        for _ in 0..<1000 where early.parsedCount < count { try await Task.sleep(nanoseconds: 10_000_000) }
        early.walkEnded()
        return found.files
    }

    @Test func filesParsedDuringTheWalkAreParsedAsLoadParsesThem() async throws {
        let tree = try Tree(files)
        defer { tree.remove() }
        let frontEnds: [any FrontEnd] = [PythonLanguage(), SwiftLanguage()]
        let layout = { @Sendable (paths: [String]) in
            ProjectLayout(paths: paths, rootName: tree.url.lastPathComponent) { path in
                try? FileReader.read(tree.url.appendingPathComponent(path).path).get()
            }
        }
        let early = Engine.EarlyParsing(frontEnds: frontEnds, hashing: true, monitor: ScanMonitor()) { layout([]) }
        let found = try await parse(tree, early, expecting: 5)
        let readers = Engine.Readers(frontEnds: frontEnds, layout: layout(found.map(\.path)))
        var taken: [String] = []
        for file in found {
            guard let parsed = early.take(file.path) else { continue }
            taken.append(file.path)
            let bytes = try FileReader.read(file.absolutePath).get()
            let expected = Engine.parse(bytes, path: file.path, readers: readers)
            // Encoded as the cache is saved (`EncodedOutcome.unencoded`): files are parsed early only in a cold scan.
            #expect(parsed.entry.map { $0.outcome.hash } == EncodedOutcome(expected).hash, "\(file.path)")
            #expect(parsed.entry?.kind == EncodedOutcome.kind(of: expected), "\(file.path)")
            #expect(parsed.entry?.hash == ContentHash.of(bytes) && parsed.entry?.stamp == file.stamp, "\(file.path)")
            #expect(early.take(file.path) == nil, "\(file.path) taken twice")
        }
        // A Swift file's reader needs every path the walk finds, so it is left to `load`.
        #expect(taken == ["__init__.py", "a.py", "b.py", "binary.py", "broken.py"])
    }

    @Test func nothingIsParsedWhenTheLayoutIsWithheld() async throws {
        let tree = try Tree(files)
        defer { tree.remove() }
        let early = Engine.EarlyParsing(frontEnds: [PythonLanguage()], hashing: false, monitor: ScanMonitor()) { nil }
        let found = try await parse(tree, early, expecting: 0)
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(found.allSatisfy { early.take($0.path) == nil })
        #expect(early.parsedCount == 0)
    }
}
