@testable import CanonEngine
import Canon
import Foundation
import Testing

/// A tree on disk that random edits change, one at a time, each followed by a scan with the cache and a scan
/// without it, which must agree: whatever the cache keeps or drops (facts by stamp or content, findings by the
/// facts and the policy, stamps of unchanged files), it never changes what a scan reports.
@Suite struct CacheDifferentialTests {
    /// Lines an edit appends: imports through canonical and legacy paths, definitions that duplicate or shadow,
    /// singleton shapes, shared class state, a suppression, a comment, a syntax error.
    private static let snippets = [
        "from app.models import Order\n",
        "from app.legacy import Order\n",
        "import app.legacy\n",
        "from app import models\n",
        "from .models import Order\n",
        "import tools.run\n",
        "from app.generated.m3 import Order0\n",
        "from app.views import View\n",
        "from app.missing import Nothing\n",
        "import os\n",
        "\n\nclass Order:\n    pass\n",
        "\n\nclass View:  # canon: ignore[duplicate_definition]\n    pass\n",
        "\n\nclass OrderManager:\n    pass\n\n\nmanager = OrderManager()\n",
        "\n_instance = None\n\n\ndef get_instance():\n    global _instance\n    if _instance is None:\n        _instance = object()\n    return _instance\n",
        "\nregistry = {}\n\n\ndef register(key):\n    registry[key] = 1\n",
        "\n\nclass Cache:\n    items = {}\n\n    def add(self, key):\n        self.items[key] = 1\n",
        "\n\n@functools.lru_cache\ndef client():\n    return object()\n",
        "# canon: ignore[fragmented_import] -- unused\n",
        "# a comment that changes no fact\n",
        "def broken(:\n",
    ]

    /// Repository policies an edit writes as `.canon.yml` (or removes): rules turned off or retuned, and
    /// contracts that the tree's imports break.
    private static let policies = [
        "version: 1\nrules:\n  duplicate_definition:\n    severity: off\n  fragmented_import:\n    min_paths: 3\n",
        "version: 1\nforbidden:\n  - name: tools stay out\n    from: [app]\n    to: [tools]\nlayers:\n  - name: app\n    layers: [app.views, app.models]\nrules:\n  import_cycle:\n    severity: error\n",
        "version: 1\nexclude: [\"app/generated/**\"]\nrules:\n  unused_suppression:\n    severity: note\n",
    ]

    /// The kinds of edit, each as likely as the others.
    private enum Edit: CaseIterable {
        case append, deleteLine, addFile, removeFile, rewriteSame, invalidBytes, policy, swift, rootPackage
    }

    /// What one scan reports, compared between the cached and the uncached scan.
    private struct Report: Equatable {
        var fileCount: Int
        var findings: [Finding]
        var suppressed: [Finding]
        var errors: [FileError]
        var skipped: [SkippedFile]
        var edits: [Finding: [TextEdit]]

        init(_ result: ScanResult) {
            fileCount = result.fileCount
            findings = result.findings
            suppressed = result.suppressed
            errors = result.errors
            skipped = result.skipped.sorted()
            edits = result.edits
        }

        /// What differs from `other`, briefly: the fields, and the findings only one of the two has.
        func difference(from other: Report) -> String {
            var parts: [String] = []
            if fileCount != other.fileCount { parts.append("files \(fileCount) against \(other.fileCount)") }
            for (name, mine, theirs) in [("findings", findings, other.findings), ("suppressed", suppressed, other.suppressed)] where mine != theirs {
                let only = mine.filter { !theirs.contains($0) }.map { "\($0.rule) \($0.location) \($0.fingerprint ?? "-") \($0.lineHash ?? "-")" }
                let missing = theirs.filter { !mine.contains($0) }.map { "\($0.rule) \($0.location) \($0.fingerprint ?? "-") \($0.lineHash ?? "-")" }
                parts.append("\(name): only here \(only.prefix(4)), only there \(missing.prefix(4))")
            }
            if errors != other.errors { parts.append("errors \(errors) against \(other.errors)") }
            if skipped != other.skipped { parts.append("skipped \(skipped) against \(other.skipped)") }
            if edits != other.edits { parts.append("edits of \(edits.count) against \(other.edits.count) findings") }
            return parts.joined(separator: "; ")
        }
    }

    /// `PropertyTests.tree()` on disk in a temporary folder, with a cache folder beside it.
    private struct DiskTree {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("canon-differential-\(UUID().uuidString)")
        var tree: URL { root.appendingPathComponent("tree") }
        var cache: ScanCache { ScanCache(folder: root.appendingPathComponent("cache")) }
        private(set) var files: [String: [UInt8]] = [:]
        /// Stamps in the past, so that unchanged files are taken by their stamp, not hashed again: each edit
        /// then moves its file's time on by a second (`step`), or leaves it now (a racy stamp, hashed again).
        private let past = Date().addingTimeInterval(-86_400)

        init() throws {
            for (path, bytes) in try PropertyTests.tree() { try write(path, bytes, step: 0) }
        }

        /// Writes `bytes` at `path` (removes the file when nil).
        mutating func write(_ path: String, _ bytes: [UInt8]?, step: Int, racy: Bool = false) throws {
            let url = tree.appendingPathComponent(path)
            files[path] = bytes
            guard let bytes else {
                try FileManager.default.removeItem(at: url)
                return
            }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            if !racy {
                try FileManager.default.setAttributes(
                    [.modificationDate: past.addingTimeInterval(TimeInterval(step))], ofItemAtPath: url.path)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(12))) func cachedScansAgreeWithFullScansAfterEveryRandomEdit(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        var disk = try DiskTree()
        defer { disk.remove() }
        let (tree, cache) = (disk.tree, disk.cache)
        var step = 0
        func write(_ path: String, _ bytes: [UInt8]?, racy: Bool = false) throws {
            try disk.write(path, bytes, step: step, racy: racy)
        }

        let registry = BuiltinRules.registry()
        // What the cached scans took from the cache, so that a run that never used it cannot pass.
        var usages: [CacheUsage] = []
        var first = true
        for _ in 0..<10 {
            step += 1
            if !first { try edit(&random, files: disk.files, write: write) }
            first = false
            let jobs = Int.random(in: 1...2, using: &random)
            let background = Bool.random(using: &random)
            let fixes = Bool.random(using: &random)
            let lineHashes = Bool.random(using: &random)
            // Now and then only part of the tree is reported (the rules still read all of it).
            let reported = ["app", "app/generated", "tools"].filter { FileManager.default.fileExists(atPath: tree.appendingPathComponent($0).path) }
                .map { tree.appendingPathComponent($0) }.filter { _ in Int.random(in: 0..<4, using: &random) == 0 }
            func scan(cached: Bool) throws -> Report {
                let policy = try PolicyLoader(registry: registry).load(root: tree)
                let editsOfFindings: ScanRequest.EditsOfFindings = { findings, index, source in
                    Fixer.editsPerFinding(findings, index: index, source: source)
                }
                let result = try Engine.scan(
                    ScanRequest(
                        root: tree, paths: reported, policy: policy, rules: try policy.configuredRules(registry: registry),
                        jobs: cached ? jobs : 2, frontEnds: registry.frontEnds, cache: cached ? cache : nil,
                        writesCacheInBackground: cached && background, editsOfFindings: fixes ? editsOfFindings : nil,
                        lineHashes: lineHashes))
                result.waitForCache()
                if cached { usages.append(result.cacheUsage) }
                return Report(result)
            }
            let full = try scan(cached: false)
            let cached = try scan(cached: true)
            #expect(cached == full, "seed \(seed), step \(step): \(cached.difference(from: full))")
            // Scanned again with nothing changed, everything comes from the cache and agrees too.
            if Int.random(in: 0..<3, using: &random) == 0 {
                let warm = try scan(cached: true)
                #expect(warm == full, "seed \(seed), step \(step), warm: \(warm.difference(from: full))")
            }
        }
        #expect(usages.contains { $0.filesReused > 0 && $0.filesParsed > 0 && !$0.findingsReused }, "no scan ran the rules on partly cached facts")
        #expect(usages.contains { $0.filesReused > 0 && $0.findingsReused }, "no scan took its findings from the cache")
    }

    /// Edits that change the facts of one file each (a snippet appended, a line deleted; no file added or
    /// removed, the policy and reported paths the same): after each, a scan with the cache keeps the findings
    /// of the rules that follow imports in every file the edit cannot reach, and those of the rules that read
    /// nothing the edit changed everywhere, and must still agree with a scan without it.
    @Test(arguments: Array(UInt64(1)...UInt64(6))) func findingsKeptWhereAnEditCannotReachAgreeWithFullScans(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        var disk = try DiskTree()
        defer { disk.remove() }
        let (tree, cache) = (disk.tree, disk.cache)
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(root: tree)
        func scan(cached: Bool) throws -> ScanResult {
            try Engine.scan(
                ScanRequest(
                    root: tree, policy: policy, rules: try policy.configuredRules(registry: registry), jobs: 2,
                    frontEnds: registry.frontEnds, cache: cached ? cache : nil))
        }
        _ = try scan(cached: true)
        var kept = 0
        var keptWhole = 0
        // The fixtures' files import each other under names their paths in this tree do not give them: the
        // edits are made where imports resolve.
        let python = disk.files.keys.filter { $0.hasSuffix(".py") && !$0.hasPrefix("fixtures/") }.sorted()
        for step in 1...16 {
            let target = python.randomElement(using: &random)!
            var lines = String(decoding: disk.files[target] ?? [], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            // A top-level name defined or imported, renamed: the files that import it from here now miss it.
            let binders = lines.indices.filter { line in
                ["class ", "def ", "from ", "import "].contains { lines[line].hasPrefix($0) } || lines[line].contains(" = ")
            }
            switch Int.random(in: 0..<3, using: &random) {
            case 0 where lines.count > 1:
                lines.remove(at: Int.random(in: 0..<lines.count, using: &random))
            case 1 where !binders.isEmpty:
                let line = binders.randomElement(using: &random)!
                lines[line] = lines[line].replacingOccurrences(of: ":", with: "Gone:").replacingOccurrences(of: " = ", with: "Gone = ")
                    .replacingOccurrences(of: "\n", with: "")
                if !lines[line].contains("Gone") { lines[line] += "Gone" }
            default:
                lines.append(Self.snippets.filter { !$0.contains("(:") }.randomElement(using: &random)!)
            }
            try disk.write(target, Array(lines.joined(separator: "\n").utf8), step: step)
            let cached = try scan(cached: true)
            let full = try scan(cached: false)
            #expect(Report(cached) == Report(full), "seed \(seed), step \(step), \(target): \(Report(cached).difference(from: Report(full)))")
            if let judged = cached.cacheUsage.filesJudgedAgain, judged < full.fileCount { kept += 1 }
            if !cached.cacheUsage.rulesKept.isEmpty { keptWhole += 1 }
        }
        #expect(kept > 0, "no scan kept findings of files its edit could not reach")
        #expect(keptWhole > 0, "no scan kept a rule's findings without running it")
    }

    /// Applies one random edit to the tree through `write`.
    private func edit(
        _ random: inout SeededGenerator, files: [String: [UInt8]], write: (String, [UInt8]?, Bool) throws -> Void
    ) throws {
        let racy = Int.random(in: 0..<4, using: &random) == 0
        let python = files.keys.filter { $0.hasSuffix(".py") }.sorted()
        let target = python.randomElement(using: &random)!
        func lines(_ path: String) -> [String] {
            String(decoding: files[path] ?? [], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        switch Edit.allCases.randomElement(using: &random)! {
        case .append:
            try write(target, (files[target] ?? []) + Array(Self.snippets.randomElement(using: &random)!.utf8), racy)
        case .deleteLine:
            var text = lines(target)
            if !text.isEmpty { text.remove(at: Int.random(in: 0..<text.count, using: &random)) }
            try write(target, Array(text.joined(separator: "\n").utf8), racy)
        case .addFile:
            let folder = ["app", "app/legacy", "tools", "extra"].randomElement(using: &random)!
            let body = (0..<Int.random(in: 1...3, using: &random)).map { _ in Self.snippets.randomElement(using: &random)! }.joined()
            try write("\(folder)/added\(Int.random(in: 0..<4, using: &random)).py", Array(body.utf8), racy)
        case .removeFile:
            try write(target, nil, racy)
        case .rewriteSame:
            try write(target, files[target], racy)
        case .invalidBytes:
            try write(target, [0xFF, 0xFE, 0x00, 0x41] + (files[target] ?? []), racy)
        case .policy:
            let text = Self.policies.randomElement(using: &random)!
            try write(".canon.yml", files[".canon.yml"] == Array(text.utf8) ? nil : Array(text.utf8), racy)
        case .swift:
            if Bool.random(using: &random) {
                let path = ["Sources/Store/Order.swift", "Sources/LegacyStore/Order.swift"].randomElement(using: &random)!
                try write(path, (files[path] ?? []) + Array("public struct Order\(Int.random(in: 0..<3, using: &random)) {}\n".utf8), racy)
            } else {
                let manifest = "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: \"P\", targets: [.target(name: \"Store\")])\n"
                try write("Package.swift", files["Package.swift"] == Array(manifest.utf8) ? nil : Array(manifest.utf8), racy)
            }
        case .rootPackage:
            try write("__init__.py", files["__init__.py"] == nil ? [] : nil, racy)
        }
    }
}
