@testable import CanonEngine
import Canon
import Foundation
import Testing

/// Builds a temporary tree and removes it afterwards.
struct Tree {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("canon-engine-\(UUID().uuidString)")
        for (path, text) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func discover(include: [String] = ["**/*.py", "**/*.pyi"], exclude: [String] = [], maxFileSize: Int = 1 << 20)
        -> (files: [String], skipped: [SkippedFile])
    {
        let result = Discovery(root: url, include: include.map(Glob.init), exclude: exclude.map(Glob.init), maxFileSize: maxFileSize).run()
        return (result.files.map(\.path), result.skipped)
    }
}

@Suite struct DiscoveryTests {
    @Test func joinsAFolderAndANameWithOneSlash() {
        #expect(Discovery.join("a/b", "c.py") == "a/b/c.py")
        #expect(Discovery.join("/", "x") == "//x")
        #expect(Discovery.join("", "") == "/")
        #expect(Discovery.join("dossier/été", "módulo_π.py") == "dossier/été/módulo_π.py")
        let long = String(repeating: "segment/", count: 40)
        #expect(Discovery.join(long, "tail.py") == long + "/tail.py")
    }

    @Test func aFolderIsListedWholeWithEachEntrysKind() throws {
        // More names than one read of the listing holds (32 KiB), some not ASCII.
        var files: [String: String] = [:]
        for k in 0..<1_500 { files["module_with_a_long_name_\(k)_\(k % 3 == 0 ? "é" : "e").py"] = "" }
        files["sub/inner.py"] = ""
        let tree = try Tree(files)
        defer { tree.remove() }
        try FileManager.default.createSymbolicLink(atPath: tree.url.appendingPathComponent("link").path, withDestinationPath: "sub")
        let descriptor = open(tree.url.path, O_RDONLY | O_DIRECTORY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var listed: [String: UInt8] = [:]
        FolderListing.forEachEntry(of: descriptor) { name, type in listed[name] = type }
        let expected = try FileManager.default.contentsOfDirectory(atPath: tree.url.path) + [".", ".."]
        #expect(Set(listed.keys) == Set(expected))
        #expect(listed.count == 1_500 + 4)
        #expect(listed["sub"] == UInt8(DT_DIR))
        #expect(listed["link"] == UInt8(DT_LNK))
        #expect(listed["module_with_a_long_name_3_é.py"] == UInt8(DT_REG))
        // The descriptor is left open, and listing it again from its end finds nothing more.
        #expect(fcntl(descriptor, F_GETFD) >= 0)
        var again = 0
        FolderListing.forEachEntry(of: descriptor) { _, _ in again += 1 }
        #expect(again == 0)
    }

    @Test func honoursNestedGitignoresWithNegation() throws {
        let tree = try Tree([
            ".gitignore": "build/\n*.gen.py\n# comment\n",
            "a.py": "", "x.gen.py": "", "build/b.py": "",
            "pkg/.gitignore": "local_*.py\n!local_keep.py\n/only_here.py\n",
            "pkg/local_drop.py": "", "pkg/local_keep.py": "", "pkg/only_here.py": "", "pkg/sub/only_here.py": "",
        ])
        defer { tree.remove() }
        #expect(tree.discover().files == ["a.py", "pkg/local_keep.py", "pkg/sub/only_here.py"])
    }

    @Test func skipsToolFoldersAndVirtualenvs() throws {
        let tree = try Tree([
            "app.py": "", ".git/hooks/x.py": "", "node_modules/m.py": "", "__pycache__/c.py": "",
            ".venv/lib/v.py": "", "env/pyvenv.cfg": "", "env/lib/site.py": "", "lib/ok.py": "",
        ])
        defer { tree.remove() }
        #expect(tree.discover().files == ["app.py", "lib/ok.py"])
    }

    @Test func includeAndExcludeGlobs() throws {
        let tree = try Tree(["a.py": "", "b.pyi": "", "c.txt": "", "gen/d.py": "", "migrations/0001.py": "", "m/migrations/2.py": ""])
        defer { tree.remove() }
        #expect(tree.discover().files == ["a.py", "b.pyi", "gen/d.py", "m/migrations/2.py", "migrations/0001.py"])
        #expect(tree.discover(exclude: ["gen/", "migrations/"]).files == ["a.py", "b.pyi"])
        #expect(tree.discover(include: ["**/*.py"], exclude: ["/migrations"]).files == ["a.py", "gen/d.py", "m/migrations/2.py"])
    }

    @Test func oversizeFilesAreSkippedWithANotice() throws {
        let tree = try Tree(["small.py": "x = 1\n", "big.py": String(repeating: "x = 1\n", count: 100)])
        defer { tree.remove() }
        let result = tree.discover(maxFileSize: 100)
        #expect(result.files == ["small.py"])
        #expect(result.skipped.map(\.path) == ["big.py"])
        #expect(result.skipped.first?.reason.contains("max_file_size") == true)
    }

    @Test func followsSymlinksWithoutLooping() throws {
        let tree = try Tree(["pkg/a.py": ""])
        defer { tree.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: tree.url.appendingPathComponent("pkg/loop").path, withDestinationPath: tree.url.path)
        #expect(tree.discover().files == ["pkg/a.py"])
    }

    /// A walk on several threads finds what a walk on one does: the same files, notices and compiled modules,
    /// each file passed to `found` as it is met; and where two paths lead to one folder, the path a walk on one
    /// thread meets first.
    @Test func aWalkOnSeveralThreadsFindsWhatOneThreadFinds() throws {
        var files: [String: String] = ["big.py": String(repeating: "x = 1\n", count: 100)]
        for a in 0..<6 {
            for b in 0..<5 {
                files["p\(a)/q\(b)/m.py"] = ""
                files["p\(a)/q\(b)/x_1.py"] = ""
                files["p\(a)/q\(b)/fast.so"] = ""
                files["p\(a)/q\(b)/.gitignore"] = "x_*.py\n"
            }
        }
        let tree = try Tree(files)
        defer { tree.remove() }
        func walk(jobs: Int) -> (files: [String], skipped: [SkippedFile], compiled: [String], found: [String]) {
            let found = Locked<[String]>([])
            let result = Discovery(root: tree.url, include: [Glob("**/*.py")], exclude: [], maxFileSize: 100).run(jobs: jobs) { file in
                found.withLock { $0.append(file.path) }
            }
            return (result.files.map(\.path), result.skipped, result.compiled, found.withLock { $0 }.sorted())
        }
        for jobs in [1, 2, 4] {
            let plain = walk(jobs: jobs)
            #expect(plain.files.count == 6 * 5)
            #expect(plain.found == plain.files)
        }
        // `a_alias` is met before `p4`, and `p3` before `z_alias`.
        for (link, target) in [("a_alias", "p4"), ("z_alias", "p3"), ("p5/q0/up", ".")] {
            try FileManager.default.createSymbolicLink(
                atPath: tree.url.appendingPathComponent(link).path, withDestinationPath: tree.url.appendingPathComponent(target).path)
        }
        let one = walk(jobs: 1)
        #expect(one.files.count == 30)
        #expect(one.files.contains("a_alias/q0/m.py") && !one.files.contains("p4/q0/m.py"))
        #expect(one.files.contains("p3/q0/m.py") && !one.files.contains { $0.hasPrefix("z_alias/") })
        #expect(one.skipped.map(\.path) == ["big.py"])
        #expect(one.compiled.count == 30)
        for jobs in [2, 2, 4, 4, 8] {
            let many = walk(jobs: jobs)
            #expect(many.files == one.files)
            #expect(many.skipped == one.skipped)
            #expect(many.compiled == one.compiled)
        }
    }

    /// A folder that a walk on several threads lists early under one path, where a walk on one thread meets it
    /// first under another (through a symlink at the end of a chain of folders), is kept under the other.
    @Test func aFolderMetTwiceKeepsThePathOneThreadMeetsFirst() throws {
        // The chain's folders hold enough files that, while they are listed, another thread lists `z`.
        var files = ["z/m.py": "", "z/sub/n.py": ""]
        for folder in ["a", "a/b", "a/b/c", "a/b/c/d"] {
            for k in 0..<200 { files["\(folder)/f\(k).py"] = "" }
        }
        let tree = try Tree(files)
        defer { tree.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: tree.url.appendingPathComponent("a/b/c/d/link").path, withDestinationPath: tree.url.appendingPathComponent("z").path)
        for jobs in [1, 2, 2, 4, 4] {
            let found = Discovery(root: tree.url, include: [Glob("**/*.py")], exclude: [], maxFileSize: 100).run(jobs: jobs).files
            #expect(found.count == 4 * 200 + 2)
            #expect(found.map(\.path).filter { !$0.hasPrefix("a/") || $0.contains("/link/") } == ["a/b/c/d/link/m.py", "a/b/c/d/link/sub/n.py"])
        }
    }
}

@Suite struct ModuleNamingTests {
    @Test func namesModulesFromPaths() {
        let naming = ModuleNaming(rootPackage: nil)
        #expect(naming.module(forPath: "pkg/sub/mod.py") == ("pkg.sub.mod", false))
        #expect(naming.module(forPath: "pkg/__init__.py") == ("pkg", true))
        #expect(naming.module(forPath: "pkg/__init__.pyi") == ("pkg", true))
        #expect(naming.module(forPath: "src/pkg/mod.py") == ("pkg.mod", false))
        #expect(naming.module(forPath: "ns/nopkg/mod.py") == ("ns.nopkg.mod", false))
        #expect(naming.module(forPath: "top.py") == ("top", false))
        #expect(naming.module(forPath: "__init__.py") == ("", true))
        #expect(naming.module(forPath: "a//b/c.py") == ("a.b.c", false))
        #expect(naming.module(forPath: "naïve/日本/é.pyi") == ("naïve.日本.é", false))
        #expect(naming.module(forPath: "pkg/.py") == ("pkg.", false))
        #expect(naming.module(forPath: "pkg/data.txt") == ("pkg.data.txt", false))
        #expect(ModuleNaming(rootPackage: "root").module(forPath: "__init__.py") == ("root", true))
        #expect(ModuleNaming(rootPackage: "root").module(forPath: "a/b.py") == ("root.a.b", false))
    }

    @Test func monorepoRootsNameModulesFromTheDeepestRootHoldingThem() {
        let naming = ModuleNaming(rootPackage: nil, roots: ["services/a/src", "services/b/src", "services/b/src/vendored", ""])
        #expect(naming.module(forPath: "services/a/src/billing/api.py") == ("billing.api", false))
        #expect(naming.module(forPath: "services/b/src/billing/__init__.py") == ("billing", true))
        #expect(naming.module(forPath: "services/b/src/vendored/six.py") == ("six", false))
        #expect(naming.module(forPath: "tools/release.py") == ("tools.release", false))
        // With roots declared, a `src/` folder elsewhere is an ordinary folder.
        #expect(ModuleNaming(rootPackage: nil, roots: ["services/a/src"]).module(forPath: "src/x.py") == ("src.x", false))
    }

    @Test func theRootsOfThePolicyNameModulesInAScan() throws {
        let tree = try Tree(["services/a/src/billing/api.py": "class A:\n    pass\n", "services/b/src/billing/api.py": "class A:\n    pass\n"])
        defer { tree.remove() }
        let policy = try PolicyLoader(registry: BuiltinRules.registry()).load(text: "roots: [services/a/src, services/b/src]\n")
        let facts = Engine.collectFacts(root: tree.url, policy: policy, jobs: 1)
        #expect(facts.files.map(\.module) == ["billing.api", "billing.api"])
    }

    @Test func aRootThatIsAPackageNamesTheTopPackage() {
        let naming = ModuleNaming(rootPackage: "app")
        #expect(naming.module(forPath: "__init__.py") == ("app", true))
        #expect(naming.module(forPath: "views.py") == ("app.views", false))
    }
}

@Suite struct EngineTests {
    @Test func binaryFilesAreSkippedAndBadFilesAreErrors() throws {
        let tree = try Tree(["ok.py": "class A:\n    pass\n", "bad.py": "class (:\n"])
        defer { tree.remove() }
        try Data([0x63, 0x00, 0x01]).write(to: tree.url.appendingPathComponent("blob.py"))
        try Data([0x78, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22, 0x0A]).write(to: tree.url.appendingPathComponent("latin.py"))
        let policy = try PolicyLoader(registry: BuiltinRules.registry()).defaultPolicy()
        let facts = Engine.collectFacts(root: tree.url, policy: policy, jobs: 2)
        #expect(facts.files.map(\.path) == ["ok.py"])
        #expect(facts.errors.map(\.path) == ["bad.py", "latin.py"])
        #expect(facts.skipped.map(\.path) == ["blob.py"])
    }

    @Test func scanRootPrefersPolicyThenGitThenPath() throws {
        let tree = try Tree(["repo/.canon.yml": "", "repo/sub/deep/a.py": "", "git/sub/b.py": "", "plain/c.py": ""])
        defer { tree.remove() }
        try FileManager.default.createDirectory(at: tree.url.appendingPathComponent("git/.git"), withIntermediateDirectories: true)
        let base = tree.url.resolvingSymlinksInPath()
        #expect(ScanRoot.locate(for: base.appendingPathComponent("repo/sub/deep/a.py")).path == base.appendingPathComponent("repo").path)
        #expect(ScanRoot.locate(for: base.appendingPathComponent("git/sub")).path == base.appendingPathComponent("git").path)
        #expect(ScanRoot.locate(for: base.appendingPathComponent("plain/c.py")).path == base.appendingPathComponent("plain").path)
    }

    @Test func pathsOutsideTheRootAreRejected() throws {
        let tree = try Tree(["a/x.py": "", "b/y.py": ""])
        defer { tree.remove() }
        let policy = try PolicyLoader(registry: BuiltinRules.registry()).defaultPolicy()
        #expect(throws: EngineError.self) {
            try Engine.scan(ScanRequest(root: tree.url.appendingPathComponent("a"), paths: [tree.url.appendingPathComponent("b")], policy: policy, rules: []))
        }
    }
}
