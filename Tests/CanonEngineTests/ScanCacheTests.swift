@testable import CanonEngine
import Canon
import Foundation
import Testing

/// A project and a cache folder of its own in temporary folders, never the real home cache.
private struct CachedProject {
    let tree: Tree
    let cacheFolder: URL

    init(_ files: [String: String]) throws {
        tree = try Tree(files)
        cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("canon-cache-\(UUID().uuidString)")
    }

    var cache: ScanCache { ScanCache(folder: cacheFolder) }

    /// Scans with `cache` (by default the project's own), or with no cache when `cached` is false; with
    /// `edits`, asks for the fixable findings' edits and records in `asked` the findings they were worked out for;
    /// `lineHashes` asks for line hashes.
    func scan(
        policy policyText: String? = nil, cache: ScanCache? = nil, cached: Bool = true, jobs: Int = 2, edits: Bool = false,
        asked: Locked<[Finding]>? = nil, lineHashes: Bool = true, inBackground: Bool = false
    ) throws -> ScanResult {
        let registry = BuiltinRules.registry()
        let loader = PolicyLoader(registry: registry)
        let policy = try policyText.map { try loader.load(text: $0) } ?? loader.defaultPolicy()
        let editsOfFindings: ScanRequest.EditsOfFindings = { findings, index, source in
            asked?.withLock { $0 += findings }
            return Fixer.editsPerFinding(findings, index: index, source: source)
        }
        return try Engine.scan(
            ScanRequest(
                root: tree.url, policy: policy, rules: try policy.configuredRules(registry: registry), jobs: jobs,
                cache: cached ? cache ?? self.cache : nil, writesCacheInBackground: inBackground,
                editsOfFindings: edits ? editsOfFindings : nil, lineHashes: lineHashes))
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: tree.url.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    func remove() {
        tree.remove()
        try? FileManager.default.removeItem(at: cacheFolder)
    }
}

private let twoDuplicates: [String: String] = [
    "app/__init__.py": "",
    "app/a.py": "class Manager:\n    pass\n",
    "app/b.py": "class Manager:\n    pass\n",
    "app/c.py": "import os\n\nVALUE = 1\n",
    "app/bad.py": "def (:\n",
]

/// A deprecated shim (`app.shim`) re-exporting `app.real`'s names, and two files that import through it: two
/// fixable findings.
private let shimUsers: [String: String] = [
    "app/__init__.py": "",
    "app/real/__init__.py": "from .models import Item, Order\n\n__all__ = [\"Item\", \"Order\"]\n",
    "app/real/models.py": "class Order:\n    pass\n\n\nclass Item:\n    pass\n",
    "app/shim/__init__.py":
        "import warnings\n\nwarnings.warn(\"app.shim is deprecated; use app.real\", DeprecationWarning)\n\nfrom app.real import Item, Order  # noqa: F401\n",
    "app/user.py": "from app.shim import Order\n",
    "app/other.py": "from app.shim import Item\n",
]

/// A module whose name two files import, one of them through a re-export, and a file that imports a missing
/// module.
private let importers: [String: String] = [
    "app/__init__.py": "",
    "app/util.py": "X = 1\n",
    "app/user.py": "from app.util import X\n",
    "app/reader.py": "from app.user import X\n",
    "app/other.py": "from app.missing import Y\n",
]

/// Each finding as `path:line:column rule`.
private func spots(_ findings: [Finding]) -> [String] {
    findings.map { "\($0.location.path):\($0.location.range.line):\($0.location.range.column) \($0.rule)" }
}

/// Classes two steps below a base, and a class whose metaclass derives from another, each step in its own file.
private let hierarchy: [String: String] = [
    "app/__init__.py": "",
    "app/base.py": "class Base:\n    pass\n",
    "app/mid.py": "from app.base import Base\n\nclass Mid(Base):\n    pass\n",
    "app/leaf.py": "from app.mid import Mid\n\nclass Leaf(Mid):\n    pass\n",
    "app/meta.py": "class Meta(type):\n    pass\n",
    "app/meta2.py": "from app.meta import Meta\n\nclass Meta2(Meta):\n    pass\n",
    "app/user.py": "from app.meta2 import Meta2\n\nclass Widget(metaclass=Meta2):\n    pass\n",
]

/// Two modules that import each other and define one class each of the same name (a cycle and a duplicate),
/// and a third module.
private let cycleAndTwins: [String: String] = [
    "app/__init__.py": "",
    "app/a.py": "import app.b\n\nclass Manager:\n    pass\n",
    "app/b.py": "import app.a\n\nclass Manager:\n    pass\n",
    "app/c.py": "X = 1\n",
]

/// A registry class, a module that makes one at import, and a module nothing imports.
private let instances: [String: String] = [
    "app/__init__.py": "",
    "app/registry.py": "class Registry:\n    def __init__(self):\n        self.items = {}\n\n    def add(self, key, value):\n        self.items[key] = value\n",
    "app/use.py": "from app.registry import Registry\n\nregistry = Registry()\n",
    "app/tool.py": "VALUE = 1\npool = redis.ConnectionPool()\n\n\ndef make():\n    import app.registry as reg\n    return reg.Registry()\n",
]

@Suite struct ScanCacheTests {
    @Test func aSecondScanOfAnUnchangedTreeReusesFactsAndFindings() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        let first = try project.scan()
        #expect(first.cacheUsage == CacheUsage(filesParsed: 5, filesReused: 0, findingsReused: false))
        #expect(first.findings.contains { $0.rule == "duplicate_definition" })
        let second = try project.scan()
        #expect(second.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: true))
        #expect(second.findings == first.findings)
        #expect(second.errors == first.errors)
        #expect(second.fileCount == first.fileCount)
        #expect(second.errors.map(\.path) == ["app/bad.py"])
    }

    /// The writes a scan leaves running are the same writes: once waited for, the next scan takes both the
    /// facts and the findings from the cache, and a file edited meanwhile is parsed again.
    @Test func cacheWritesLeftRunningAreWholeOnceWaitedFor() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        let first = try project.scan(inBackground: true)
        first.waitForCache()
        let second = try project.scan(inBackground: true)
        second.waitForCache()
        #expect(second.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: true))
        #expect(second.findings == first.findings)
        try project.write("app/c.py", "import os\n\n\nclass Manager:\n    pass\n")
        let edited = try project.scan(inBackground: true)
        edited.waitForCache()
        #expect(
            edited.cacheUsage
                == CacheUsage(filesParsed: 1, filesReused: 4, findingsReused: false, filesJudgedAgain: 1, rulesKept: ["concept_footprint", "import_cycle"]))
        let again = try project.scan()
        #expect(again.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: true))
        #expect(again.findings == edited.findings)
        // A scan that writes before it returns has nothing left to wait for.
        try project.scan(cached: false).waitForCache()
    }

    @Test func anEditedFileIsParsedAgainAndTheRulesRunAgain() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        let first = try project.scan()
        try project.write("app/c.py", "import os\n\n\nclass Manager:\n    pass\n")
        let edited = try project.scan()
        // Nothing imports c.py: the rules that follow imports judge it alone again; its import of `os` is not one
        // `import_cycle` counts.
        #expect(
            edited.cacheUsage
                == CacheUsage(filesParsed: 1, filesReused: 4, findingsReused: false, filesJudgedAgain: 1, rulesKept: ["concept_footprint", "import_cycle"]))
        #expect(edited.findings.count { $0.rule == "duplicate_definition" } > first.findings.count { $0.rule == "duplicate_definition" })
        #expect(edited.findings.contains { $0.location.path == "app/c.py" })
        #expect(edited.findings == (try project.scan(cached: false)).findings)
    }

    @Test func anEditThatChangesNoFactKeepsTheFindingsAndFingerprintsTheEditedFileAgain() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        let first = try project.scan()
        try project.write("app/a.py", "class Manager:  # the one to keep\n    pass\n# end\n")
        let edited = try project.scan()
        #expect(edited.cacheUsage == CacheUsage(filesParsed: 1, filesReused: 4, findingsReused: true))
        let fresh = try project.scan(cached: false)
        #expect(edited.findings == fresh.findings)
        #expect(edited.suppressed == fresh.suppressed)
        let before = try #require(first.findings.first { $0.location.path == "app/a.py" })
        let after = try #require(edited.findings.first { $0.location.path == "app/a.py" })
        #expect(before.lineHash != after.lineHash)
        let again = try project.scan()
        #expect(again.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: true))
        #expect(again.findings == fresh.findings)
    }

    @Test func aFactChangingEditTakesStampsOnlyFromFilesWhoseTextIsUnchanged() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        _ = try project.scan()
        // a.py's text changes on its finding's line but not its facts; c.py's facts change.
        try project.write("app/a.py", "class Manager:  # the one to keep\n    pass\n")
        try project.write("app/c.py", "import os\n\nVALUE = 2\nOTHER = 3\n")
        let edited = try project.scan()
        #expect(
            edited.cacheUsage
                == CacheUsage(
                    filesParsed: 2, filesReused: 3, findingsReused: false, filesJudgedAgain: 1,
                    rulesKept: ["concept_footprint", "duplicate_definition", "import_cycle"]))
        let fresh = try project.scan(cached: false)
        #expect(edited.findings == fresh.findings)
        #expect(edited.suppressed == fresh.suppressed)
    }

    @Test func editsOfFixableFindingsAreWorkedOutOnceAndKeptWithTheFindings() throws {
        let project = try CachedProject(shimUsers)
        defer { project.remove() }
        let fresh = try project.scan(cached: false, edits: true)
        #expect(fresh.edits.count == 2)
        #expect(Set(fresh.edits.keys) == Set(fresh.findings.filter(\.isFixable)))

        // A scan that does not ask for edits caches none; the next that asks works all of them out.
        _ = try project.scan()
        let asked = Locked<[Finding]>([])
        let first = try project.scan(edits: true, asked: asked)
        #expect(first.cacheUsage.findingsReused)
        #expect(first.edits == fresh.edits)
        #expect(asked.withLock { $0.count } == 2)

        asked.withLock { $0 = [] }
        let warm = try project.scan(edits: true, asked: asked)
        #expect(warm.edits == fresh.edits)
        #expect(asked.withLock { $0.isEmpty })

        // A comment changes user.py's text (so its edits) but no fact: only its finding is worked out again.
        try project.write("app/user.py", "from app.shim import Order  # for now\n")
        let commented = try project.scan(edits: true, asked: asked)
        #expect(commented.cacheUsage.findingsReused)
        #expect(asked.withLock { $0.map(\.location.path) } == ["app/user.py"])
        let freshAfter = try project.scan(cached: false, edits: true)
        #expect(commented.findings == freshAfter.findings)
        #expect(commented.edits == freshAfter.edits)
        #expect(commented.edits != fresh.edits)
    }

    /// A scan that does not ask for line hashes (no SARIF log) stamps fingerprints only; a later one that asks
    /// gets the line hashes a scan without cache gives, whether it reuses the cached findings or, after a
    /// facts-changing edit, their stamps; edits are worked out for the findings as they end up.
    @Test func lineHashesAreWorkedOutOnlyWhenAskedForAndAddedToWhatTheCacheKeptWithout() throws {
        let project = try CachedProject(shimUsers)
        defer { project.remove() }
        let fresh = try project.scan(cached: false, edits: true)
        #expect(fresh.findings.count >= 2)
        #expect(fresh.findings.allSatisfy { $0.lineHash != nil })

        let plain = try project.scan(lineHashes: false)
        #expect(plain.findings.allSatisfy { $0.lineHash == nil && $0.fingerprint != nil })
        #expect(plain.findings.map(\.fingerprint) == fresh.findings.map(\.fingerprint))
        #expect(plain.findings.map(\.unstamped) == fresh.findings.map(\.unstamped))

        let reused = try project.scan(edits: true)
        #expect(reused.cacheUsage.findingsReused)
        #expect(reused.findings == fresh.findings)
        #expect(reused.edits == fresh.edits)

        // other.py's facts change, and its finding is stamped again without a line hash; then models.py's facts
        // change, and other.py's stamps (its text unchanged) are not taken by a scan that wants line hashes.
        try project.write("app/other.py", "from app.shim import Item\n\nCOUNT = 1\n")
        let mixed = try project.scan(lineHashes: false)
        #expect(!mixed.cacheUsage.findingsReused)
        #expect(mixed.findings.contains { $0.location.path == "app/other.py" && $0.lineHash == nil })
        try project.write("app/real/models.py", "class Order:\n    pass\n\n\nclass Item:\n    pass\n\n\nclass Extra:\n    pass\n")
        let after = try project.scan(edits: true)
        #expect(!after.cacheUsage.findingsReused)
        let freshAfter = try project.scan(cached: false, edits: true)
        #expect(after.findings == freshAfter.findings)
        #expect(after.edits == freshAfter.edits)
    }

    @Test func findingsAreFingerprintedFromTheTextAsItIsNowWhenTheFactsCacheMovedOnWithoutThem() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        _ = try project.scan()
        try project.write("app/b.py", "class Manager:  # kept for now\n    pass\n")
        // `canon facts` brings the facts cache up to date and leaves the findings cache as it was.
        let registry = BuiltinRules.registry()
        _ = Engine.collectFacts(
            root: project.tree.url, policy: try PolicyLoader(registry: registry).defaultPolicy(), jobs: 2, cache: project.cache)
        let back = try project.scan()
        #expect(back.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: true))
        #expect(back.findings == (try project.scan(cached: false)).findings)
    }

    @Test func aFileRewrittenWithTheSameContentIsNotParsedAgain() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        _ = try project.scan()
        try project.write("app/a.py", "class Manager:\n    pass\n")
        let again = try project.scan()
        #expect(again.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: true))
    }

    @Test func anEditJudgesAgainTheFilesThatImportTheEditedModuleAndKeepsTheOthersFindings() throws {
        let project = try CachedProject(importers)
        defer { project.remove() }
        let first = try project.scan()
        #expect(spots(first.findings) == ["app/other.py:1:25 unresolved_import", "app/reader.py:1:22 fragmented_import"])
        // `X` leaves `app.util`: `app.user`, which imports it, now has a finding it did not have (`app.reader`, which
        // imports it through `app.user`, has none: it is reported where the chain ends), and `app.other`'s, in a
        // file the edit cannot reach, is kept.
        try project.write("app/util.py", "Y = 1\n")
        let edited = try project.scan()
        #expect(
            edited.cacheUsage
                == CacheUsage(
                    filesParsed: 1, filesReused: 4, findingsReused: false, filesJudgedAgain: 3,
                    rulesKept: ["duplicate_definition", "import_cycle"]))
        #expect(spots(edited.findings) == ["app/other.py:1:25 unresolved_import", "app/user.py:1:22 unresolved_import"])
        #expect(edited.findings == (try project.scan(cached: false)).findings)
        // Back again: the findings the edit brought go with it.
        try project.write("app/util.py", "X = 1\n")
        let restored = try project.scan()
        #expect(restored.cacheUsage.filesJudgedAgain == 3)
        #expect(restored.findings == first.findings)
    }

    /// With the default policy, and with every rule that judges through imports turned off (`singleton_class`
    /// alone keeps findings then).
    @Test(arguments: [
        nil,
        "rules:\n" + ["unresolved_import", "global_state_mutation", "lazy_global_singleton", "cached_instance_factory", "fallback_import"]
            .map { "  \($0):\n    severity: off\n" }.joined(),
    ])
    func aSingletonClassIsJudgedAgainWhenAnAncestorOrItsMetaclassesAncestorIsEdited(policy: String?) throws {
        let project = try CachedProject(hierarchy)
        defer { project.remove() }
        #expect(try project.scan(policy: policy).findings.filter { $0.rule == "singleton_class" }.isEmpty)
        // `Leaf` derives from `Base` through `Mid`, and `Widget`'s metaclass from `Meta`: neither's file imports
        // the edited one, which makes `Base` a singleton and `Meta` a caching metaclass.
        try project.write("app/base.py", "class Base(SingletonMixin):\n    pass\n")
        try project.write(
            "app/meta.py",
            "class Meta(type):\n    _instances = {}\n\n    def __call__(cls, *args, **kwargs):\n        if cls not in cls._instances:\n"
                + "            cls._instances[cls] = super().__call__(*args, **kwargs)\n        return cls._instances[cls]\n")
        let edited = try project.scan(policy: policy)
        #expect(edited.cacheUsage.filesJudgedAgain == 4)
        #expect(spots(edited.findings.filter { $0.rule == "singleton_class" }) == [
            "app/base.py:1:1 singleton_class", "app/leaf.py:3:1 singleton_class", "app/meta.py:1:1 singleton_class",
            "app/meta2.py:3:1 singleton_class", "app/mid.py:3:1 singleton_class", "app/user.py:3:1 singleton_class",
        ])
        #expect(edited.findings == (try project.scan(policy: policy, cached: false)).findings)
    }

    /// `import_cycle` reads a file's imports of project modules, `duplicate_definition` its top-level classes:
    /// an edit that changes neither keeps both rules' findings without running them; one that changes either,
    /// or moves them, runs the rule again.
    @Test func rulesThatReadNothingAnEditChangedKeepTheirFindingsWithoutRunning() throws {
        let project = try CachedProject(cycleAndTwins)
        defer { project.remove() }
        let both: Set<String> = ["duplicate_definition", "import_cycle"]
        func rules(_ findings: [Finding]) -> Set<String> { Set(findings.map(\.rule)).intersection(both) }
        #expect(rules(try project.scan().findings) == both)
        var steps: [(path: String, text: String, kept: Set<String>, found: Set<String>)] = [
            // An import from outside the project, and an assignment.
            ("app/c.py", "import os\n\nX = 2\n", both, both),
            // A third `Manager`, and an import of `app.a` that closes no cycle.
            ("app/c.py", "import os\nimport app.a\n\nclass Manager:\n    pass\n", [], both),
            // A method in a class, and a function: neither rule reads them.
            ("app/c.py", "import os\nimport app.a\n\nclass Manager:\n    def run(self):\n        pass\n\ndef f():\n    pass\n", both, both),
        ]
        steps += [
            // The cycle broken, the class left where it was.
            ("app/b.py", "\n\nclass Manager:\n    pass\n", ["duplicate_definition"], ["duplicate_definition"]),
            // Everything a line lower: the findings move.
            ("app/a.py", "\nimport app.b\n\nclass Manager:\n    pass\n", [], ["duplicate_definition"]),
            // The cycle back.
            ("app/b.py", "import app.a\n\nclass Manager:\n    pass\n", ["duplicate_definition"], both),
        ]
        for step in steps {
            try project.write(step.path, step.text)
            let edited = try project.scan()
            #expect(edited.cacheUsage.rulesKept.intersection(both) == step.kept, "\(step.path): \(step.text)")
            #expect(rules(edited.findings) == step.found, "\(step.path): \(step.text)")
            #expect(edited.findings == (try project.scan(cached: false)).findings, "\(step.path): \(step.text)")
        }
    }

    /// The rules that read what names resolve to keep their findings only after an edit that reaches no other
    /// file and leaves what they read of the edited one as it was: an import of an outside module appended to a
    /// module nothing imports, whose name nothing there reads.
    @Test func rulesThatReadResolutionsKeepTheirFindingsOnlyWhenTheEditReachesNoOtherFile() throws {
        let project = try CachedProject(instances)
        defer { project.remove() }
        let first = try project.scan()
        #expect(first.findings.contains { $0.rule == "module_instance" && $0.location.path == "app/use.py" })
        let resolving: Set<String> = ["fragmented_import", "deprecated_import", "module_instance", "shared_class_state"]
        let tool = instances["app/tool.py"]!
        let steps: [(path: String, text: String, kept: Set<String>)] = [
            ("app/tool.py", tool + "import os\n", resolving),
            // `redis.ConnectionPool` now resolves through the import.
            ("app/tool.py", tool + "import os\nimport redis\n", ["fragmented_import", "deprecated_import"]),
            // An outside `reg` at the top level now gives `reg.Registry` in `make` its module.
            ("app/tool.py", tool + "import os\nimport redis\nimport reg\n", ["module_instance", "shared_class_state"]),
            // `app.use` imports from the edited module.
            ("app/registry.py", instances["app/registry.py"]! + "import os\n", []),
        ]
        for step in steps {
            try project.write(step.path, step.text)
            let edited = try project.scan()
            #expect(edited.cacheUsage.rulesKept.isSuperset(of: ["duplicate_definition", "import_cycle"]), "\(step.text)")
            #expect(edited.cacheUsage.rulesKept.intersection(resolving) == step.kept, "\(step.text)")
            #expect(edited.findings == (try project.scan(cached: false)).findings, "\(step.text)")
        }
    }

    @Test func onlyAnEditOfFactsUnderTheSameRulesKeepsFindingsOfFilesItCannotReach() throws {
        let project = try CachedProject(importers)
        defer { project.remove() }
        _ = try project.scan()
        // Other options, then a file added: every file is judged again.
        try project.write("app/util.py", "Y = 1\n")
        let retuned = try project.scan(policy: "rules:\n  fragmented_import:\n    min_paths: 3\n")
        #expect(retuned.cacheUsage.filesJudgedAgain == nil)
        try project.write("app/added.py", "from app.util import Y\n")
        let added = try project.scan(policy: "rules:\n  fragmented_import:\n    min_paths: 3\n")
        #expect(added.cacheUsage.filesJudgedAgain == nil)
        #expect(added.findings == (try project.scan(policy: "rules:\n  fragmented_import:\n    min_paths: 3\n", cached: false)).findings)
    }

    @Test func aChangedPolicyRunsTheRulesAgainOnCachedFacts() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        _ = try project.scan()
        let quieter = try project.scan(policy: "rules:\n  duplicate_definition:\n    severity: off\n")
        #expect(quieter.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: false))
        #expect(!quieter.findings.contains { $0.rule == "duplicate_definition" })
        let back = try project.scan()
        #expect(back.findings.contains { $0.rule == "duplicate_definition" })
    }

    @Test func changedSourceRootsParseAgainUnderTheNewModuleNames() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        _ = try project.scan()
        let rooted = try project.scan(policy: "roots: [app]\n")
        #expect(rooted.cacheUsage.filesParsed == 5)
    }

    @Test(arguments: ["garbage", "truncated", "flipped", "empty"])
    func aCorruptCacheIsIgnoredAndRewritten(damage: String) throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        let first = try project.scan()
        for file in [project.cache.factsFile, project.cache.findingsFile] {
            var bytes = [UInt8](try Data(contentsOf: file))
            switch damage {
            case "garbage": bytes = Array("not a cache at all".utf8)
            case "truncated": bytes.removeLast(bytes.count / 2)
            case "empty": bytes = []
            default: bytes[bytes.count - 3] ^= 0x55
            }
            try Data(bytes).write(to: file)
        }
        let repaired = try project.scan()
        #expect(repaired.cacheUsage == CacheUsage(filesParsed: 5, filesReused: 0, findingsReused: false))
        #expect(repaired.findings == first.findings)
        let after = try project.scan()
        #expect(after.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 5, findingsReused: true))
    }

    @Test func aCacheFileIsMappedOnlyWhenItIsARegularFileWithBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("canon-bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        let content = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(content).write(to: folder.appendingPathComponent("file"))
        try Data().write(to: folder.appendingPathComponent("empty"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder"), withIntermediateDirectories: false)
        #expect(mkfifo(path("pipe"), 0o600) == 0)
        let mapped = try #require(CacheBytes(mapping: path("file")))
        #expect(mapped.withUnsafeBytes { Array($0) } == content)
        // A pipe is not waited on (nothing will ever write to this one).
        for name in ["missing", "empty", "folder", "pipe"] { #expect(CacheBytes(mapping: path(name)) == nil, "\(name)") }
    }

    @Test func anotherRootsCacheIsNotTrusted() throws {
        let project = try CachedProject(twoDuplicates)
        let other = try CachedProject(["app/__init__.py": "", "app/a.py": "class Other:\n    pass\n"])
        defer {
            project.remove()
            other.remove()
        }
        _ = try project.scan()
        let foreign = try other.scan(cache: project.cache)
        #expect(foreign.cacheUsage == CacheUsage(filesParsed: 2, filesReused: 0, findingsReused: false))
        #expect(foreign.findings.isEmpty)
    }

    @Test func twoScansAtOnceLeaveAUsableCache() throws {
        let project = try CachedProject(twoDuplicates.merging((0..<40).map { ("pkg/m\($0).py", "class C\($0):\n    x = {}\n") }) { a, _ in a })
        defer { project.remove() }
        let expected = try project.scan(cache: ScanCache(folder: project.cacheFolder.appendingPathComponent("reference")))
        let results = Locked([ScanResult]())
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            if let result = try? project.scan(jobs: 1) { results.withLock { $0.append(result) } }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        #expect(all.allSatisfy { $0.findings == expected.findings })
        let after = try project.scan()
        #expect(after.cacheUsage == CacheUsage(filesParsed: 0, filesReused: 45, findingsReused: true))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.cacheFolder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func theTreeIsNeverWrittenAndAnUnwritableCacheIsNoError() throws {
        let project = try CachedProject(twoDuplicates)
        defer { project.remove() }
        let before = try FileManager.default.subpathsOfDirectory(atPath: project.tree.url.path).sorted()
        let blocker = project.cacheFolder.appendingPathComponent("a-file")
        try FileManager.default.createDirectory(at: project.cacheFolder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: blocker)
        let unwritable = ScanCache(folder: blocker.appendingPathComponent("cache"))
        let first = try project.scan(cache: unwritable)
        let second = try project.scan(cache: unwritable)
        #expect(second.cacheUsage == CacheUsage(filesParsed: 5, filesReused: 0, findingsReused: false))
        #expect(second.findings == first.findings)
        _ = try project.scan()
        #expect(try FileManager.default.subpathsOfDirectory(atPath: project.tree.url.path).sorted() == before)
    }

    @Test func theDefaultFolderFollowsXDGThenHomeWithOneFolderPerRoot() throws {
        let root = URL(fileURLWithPath: "/srv/projects/my app")
        let xdg = try #require(ScanCache(root: root, environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]))
        #expect(xdg.folder.path.hasPrefix("/x/cache/canon/my_app-"))
        let home = try #require(ScanCache(root: root, environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "relative"]))
        #expect(home.folder.path.hasPrefix("/home/u/.cache/canon/my_app-"))
        let other = try #require(ScanCache(root: URL(fileURLWithPath: "/elsewhere/my app"), environment: ["HOME": "/home/u"]))
        #expect(other.folder != home.folder)
        #expect(ScanCache(root: root, environment: [:]) == nil)
        let chosen = try #require(ScanCache(root: root, base: URL(fileURLWithPath: "/tmp/chosen"), environment: [:]))
        #expect(chosen.folder.deletingLastPathComponent().path == "/tmp/chosen")
    }

    /// A payload of several blocks, written a piece at a time, reads back whole; a byte changed in any block, or
    /// the file cut short at a block's edge, makes it absent.
    @Test func aPayloadWrittenBlockByBlockReadsBackAndEveryBlockIsChecked() throws {
        let cache = ScanCache(folder: FileManager.default.temporaryDirectory.appendingPathComponent("canon-cache-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: cache.folder) }
        let payload = (0..<(CacheFile.blockSize * 5 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let key = ContentHash.of("key")
        let file = cache.folder.appendingPathComponent("test.bin")
        let written = cache.write(to: file, magic: "CANONTS\u{1}", key: key) { writer in
            var start = 0
            var piece = 1
            while start < payload.count {
                let end = min(start + piece, payload.count)
                writer.w.raw(Array(payload[start..<end]))
                writer.flush()
                start = end
                piece = piece * 7 % 300_007 + 1
            }
        }
        #expect(written)
        let bytes = [UInt8](try Data(contentsOf: file))
        func unwrapped(_ bytes: [UInt8]) -> [UInt8]? {
            bytes.withUnsafeBytes { buffer in
                CacheFile.unwrap(buffer, magic: "CANONTS\u{1}", build: cache.build).flatMap { $0.key == key ? Array(buffer[$0.payload]) : nil }
            }
        }
        #expect(unwrapped(bytes) == payload)
        let start = bytes.count - payload.count
        for offset in [0, CacheFile.blockSize + 17, payload.count - 1] {
            var damaged = bytes
            damaged[start + offset] ^= 0x01
            #expect(unwrapped(damaged) == nil, "a byte changed at \(offset)")
        }
        #expect(unwrapped(Array(bytes.prefix(start + 2 * CacheFile.blockSize))) == nil)
        #expect(unwrapped(bytes + [0]) == nil)
    }
}
