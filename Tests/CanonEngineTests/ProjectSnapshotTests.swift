import Canon
import Foundation
import Testing

@Suite struct ProjectSnapshotTests {
    private func rules() throws -> [ConfiguredRule] {
        try PolicyLoader(registry: BuiltinRules.registry()).load(text: "version: 1\n", file: "<test>")
            .configuredRules(registry: BuiltinRules.registry())
    }

    @Test func updatingOneFileChecksItAgainstTheRest() throws {
        var project = ProjectSnapshot(sources: [
            ("a.py", Array("class Thing:\n    pass\n".utf8)), ("b.py", Array("x = 1\n".utf8)),
        ])
        #expect(project.check(try rules(), reporting: nil, jobs: 1).findings.isEmpty)
        project.update(path: "b.py", contents: Array("\nclass Thing:\n    pass\n".utf8))
        let onlyB = project.check(try rules(), reporting: ["b.py"], jobs: 1)
        #expect(onlyB.findings.map(\.location.path) == ["b.py"])
        #expect(onlyB.findings[0].location.range.line == 2)
        #expect(onlyB.findings[0].lineHash == LineHash.hashes(of: "\nclass Thing:\n    pass\n")[1])
        project.update(path: "c/new.py", contents: Array("class Thing:\n    pass\n".utf8))
        #expect(project.files.map(\.path) == ["a.py", "b.py", "c/new.py"])
        #expect(project.check(try rules(), reporting: nil, jobs: 2).findings.count == 3)
        project.update(path: "a.py", contents: Array("x = (1,\n".utf8))
        #expect(project.errors.map(\.path) == ["a.py"])
        #expect(project.fileCount == 3)
    }

    @Test func loadingReportsProgressAndStopsWhenCancelled() throws {
        let tree = try Tree(Dictionary(uniqueKeysWithValues: (0..<50).map { ("m\($0).py", "x = \($0)\n") }))
        defer { tree.remove() }
        let policy = try PolicyLoader(registry: BuiltinRules.registry()).load(text: "version: 1\n", file: "<test>")
        // `Locked` (NSLock) rather than `Mutex`: ThreadSanitizer misses the ordering `Mutex` gives when a thread
        // waits for it, and reports the workers' calls as a race.
        let seen = Locked<[Int]>([])
        let project = try ProjectSnapshot.load(
            root: tree.url, policy: policy, jobs: 4, monitor: ScanMonitor(progress: { done, total in seen.withLock { $0.append(done * 1000 + total) } }))
        #expect(project.fileCount == 50)
        // In order: one call at a time, each file counted as it is reported.
        #expect(seen.withLock { $0 } == (1...50).map { $0 * 1000 + 50 })
        let calls = Locked(0)
        #expect(throws: EngineError.cancelled) {
            try ProjectSnapshot.load(
                root: tree.url, policy: policy, jobs: 2,
                monitor: ScanMonitor(isCancelled: { calls.withLock { $0 += 1; return $0 > 5 } }))
        }
    }
}
