@testable import CanonCommandLine
import Canon
import Foundation
import Synchronization
import Testing

@Suite struct CacheOptionTests {
    private func project() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.write("app/__init__.py", "")
        try tree.write("app/a.py", "class Manager:\n    pass\n")
        try tree.write("app/b.py", "class Manager:\n    pass\n")
        return tree
    }

    @Test func cacheDirHoldsOneFolderPerRootAndTheWarmRunPrintsTheSame() throws {
        let tree = try project()
        let cache = try TemporaryTree()
        defer {
            tree.remove()
            cache.remove()
        }
        let cold = runCanon(["scan", tree.path(), "--cache-dir", cache.path(), "--format", "json"])
        let folders = try FileManager.default.contentsOfDirectory(atPath: cache.path())
        #expect(folders.count == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.path(folders[0])).sorted()
        #expect(files == ["facts.bin", "findings.bin"])
        let warm = runCanon(["scan", tree.path(), "--cache-dir", cache.path(), "--format", "json"])
        #expect(cold.code == 1 && warm.code == 1)
        #expect(warm.stdout == cold.stdout)
        #expect(cold.stdout.contains("duplicate_definition"))
    }

    /// `shimTree()` (one fixable finding, in app/user.py) with every file dated in the past, so that the cache
    /// trusts their stamps.
    private func shimProject() throws -> TemporaryTree {
        let tree = try shimTree()
        for file in ["app/__init__.py", "app/real.py", "app/shim.py", "app/user.py", "app/whole.py"] {
            try FileManager.default.setAttributes([.modificationDate: Self.past], ofItemAtPath: tree.path(file))
        }
        return tree
    }

    private static let past = Date(timeIntervalSince1970: 1_600_000_000)

    @Test(arguments: [["facts"], ["report"], ["baseline", "--output", "BASELINE"], ["fix", "--diff"]])
    func everyCommandThatReadsTheProjectKeepsTheCacheAndPrintsTheSame(command: [String]) throws {
        let tree = try shimProject()
        let cache = try TemporaryTree()
        defer {
            tree.remove()
            cache.remove()
        }
        func run(_ caching: [String]) -> RunOutput {
            let arguments = command.map { $0 == "BASELINE" ? cache.path("baseline.json") : $0 }
            return runCanon(arguments + [tree.path()] + caching)
        }
        let uncached = run(["--no-cache"])
        let cold = run(["--cache-dir", cache.path("cache")])
        let folders = try FileManager.default.contentsOfDirectory(atPath: cache.path("cache"))
        #expect(folders.count == 1)
        #expect(FileManager.default.fileExists(atPath: cache.path("cache/\(folders[0])/facts.bin")))
        let warm = run(["--cache-dir", cache.path("cache")])
        for output in [cold, warm] {
            #expect(output.code == uncached.code)
            #expect(output.stdout == uncached.stdout)
            #expect(output.stderr == uncached.stderr)
        }
    }

    /// A file rewritten in place with text of the same size and the same date keeps its stamp, so a command that
    /// reads the cache takes its facts from there: `canon facts` shows them; `canon fix` reads the file before
    /// rewriting it and leaves it, since it no longer imports what its facts say.
    @Test func factsAndFixReadTheScansCache() throws {
        let tree = try shimProject()
        let cache = try TemporaryTree()
        defer {
            tree.remove()
            cache.remove()
        }
        #expect(runCanon(["scan", tree.path(), "--cache-dir", cache.path(), "--format", "json"]).code == 1)
        let handle = try #require(FileHandle(forWritingAtPath: tree.path("app/user.py")))
        try handle.write(contentsOf: Data("import re\nfrom app.shim import Order\n".utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Self.past], ofItemAtPath: tree.path("app/user.py"))

        let cachedFacts = runCanon(["facts", tree.path("app/user.py"), "--cache-dir", cache.path()])
        #expect(cachedFacts.stdout.contains("\"module\" : \"os\""))
        #expect(runCanon(["facts", tree.path("app/user.py"), "--no-cache"]).stdout.contains("\"module\" : \"re\""))
        let fix = runCanon(["fix", tree.path(), "--cache-dir", cache.path()])
        #expect(fix.code == 1)
        #expect(fix.stderr.contains("not fixed: app/user.py changed since it was scanned"))
        #expect(try String(contentsOfFile: tree.path("app/user.py"), encoding: .utf8) == "import re\nfrom app.shim import Order\n")
    }

    @Test func noCacheNeitherReadsNorWrites() throws {
        let tree = try project()
        let cache = try TemporaryTree()
        defer {
            tree.remove()
            cache.remove()
        }
        let folder = cache.path("never")
        let result = runCanon(["scan", tree.path(), "--no-cache", "--cache-dir", folder, "--format", "json"])
        #expect(result.code == 1)
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func withoutAHomeThereIsNoDefaultCacheAndTheScanStillRuns() throws {
        let tree = try project()
        defer { tree.remove() }
        let result = runCanon(["scan", tree.path(), "--format", "json"])
        #expect(result.code == 1)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: tree.path()).sorted() == ["app", "app/__init__.py", "app/a.py", "app/b.py"])
    }
}

@Suite struct ProgressDisplayTests {
    @Test func theLineSaysFilesOfTotalAndRateThenThatRulesRun() {
        #expect(ProgressDisplay.line(done: 500, total: 2_000, seconds: 2) == "canon: 500/2000 files (250 files/s)")
        #expect(ProgressDisplay.line(done: 2_000, total: 2_000, seconds: 3) == "canon: 2000 files loaded; running the rules…")
    }

    @Test func aDrawnLineIsErasedWhenTheScanEnds() {
        let err = Mutex("")
        let console = Console(wantsColor: false, errorIsTerminal: true, out: { _ in }, err: { text in err.withLock { $0 += text } })
        let display = ProgressDisplay(console: console, delay: 0)
        display.update(done: 3, total: 10)
        // The first tick may draw before the update (it did under ThreadSanitizer); the next, 0.1 s later,
        // draws it.
        var waited = 0
        while !err.withLock({ $0.contains("3/10 files") }) && waited < 200 {
            usleep(10_000)
            waited += 1
        }
        display.finish()
        let text = err.withLock { $0 }
        #expect(text.contains("3/10 files"))
        #expect(text.hasSuffix("\r\u{1B}[K"))
        let after = text.count
        usleep(250_000)
        #expect(err.withLock { $0.count } == after)
    }

    @Test func aShortScanOrAQuietOneOrOneOffATerminalDrawsNothing() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("a.py", "x = 1\n")
        for (terminal, quiet) in [(true, false), (true, true), (false, false)] {
            let err = Mutex("")
            let console = Console(wantsColor: false, errorIsTerminal: terminal, out: { _ in }, err: { text in err.withLock { $0 += text } })
            _ = CommandLineTool.run(["scan", tree.path()] + (quiet ? ["--quiet"] : []), registry: BuiltinRules.registry(), console: console)
            #expect(!err.withLock { $0 }.contains("\r"))
        }
    }
}
