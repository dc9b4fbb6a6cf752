import CanonCore
import Foundation
import Testing

@testable import CanonEngine

/// The facts cache in two files: `facts.bin` with every entry, and `facts.delta` with what changed since.
@Suite struct FactsStoreTests {
    private struct Store {
        let cache: ScanCache
        let root = "/project"

        init() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("canon-facts-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            cache = ScanCache(folder: folder)
        }

        func remove() { try? FileManager.default.removeItem(at: cache.folder) }

        func bytes(_ file: URL) -> [UInt8]? { (try? Data(contentsOf: file)).map { [UInt8]($0) } }
    }

    /// An entry for a file `pkg/m<number>.py` whose facts hold `size` imports, at modification time `time`.
    private static func entry(_ number: Int, time: Int64 = 1, size: Int = 1) -> (path: String, entry: FactsEntry) {
        let path = "pkg/m\(number).py"
        var facts = FileFacts(path: path, module: "pkg.m\(number)", isPackage: false, language: .python)
        facts.imports = (0..<size).map { k in
            ImportFact(
                form: .plain, module: "os\(k)", writtenModule: "os\(k)", level: 0, name: nil, alias: nil, kind: .runtime,
                range: .at(line: k + 1, column: 1), statementRange: .at(line: k + 1, column: 1))
        }
        let outcome = EncodedOutcome(.facts(facts))
        let hash = ContentHash.of(path + "\(time)")
        return (
            path,
            FactsEntry(
                stamp: FileStamp(size: 10 * number, modified: time, inode: UInt64(number)), racy: false, hash: hash,
                layout: ContentHash(high: 1, low: 2), kind: EncodedOutcome.factsKind, outcome: outcome, factsHash: outcome.hash)
        )
    }

    /// What an entry holds, comparable.
    private static func described(_ entry: FactsEntry) -> String {
        let bytes = (try? entry.outcome.withBytes { Array($0) }) ?? []
        return "\(entry.stamp) \(entry.racy) \(entry.hash) \(entry.layout) \(entry.kind) \(entry.factsHash) \(bytes)"
    }

    private static func described(_ entries: [(path: String, entry: FactsEntry)]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.path, described($0.entry)) })
    }

    private static func described(_ entries: [String: FactsEntry]) -> [String: String] { entries.mapValues(described) }

    private static let first = (0..<40).map { entry($0) }

    /// The first list with one entry changed, one gone and one added.
    private static let second = first.filter { $0.path != "pkg/m3.py" }.map { $0.path == "pkg/m5.py" ? entry(5, time: 2) : $0 } + [entry(40)]

    @Test func aSaveAfterALoadWritesOnlyWhatChangedBesideTheFactsFile() throws {
        let store = try Store()
        defer { store.remove() }
        FactsStore.save(Self.first, to: store.cache, root: store.root)
        #expect(store.bytes(store.cache.factsDeltaFile) == nil)
        let loaded = FactsStore.load(from: store.cache, root: store.root)
        #expect(Self.described(loaded.entries) == Self.described(Self.first))
        let base = try #require(loaded.base)
        let whole = store.bytes(store.cache.factsFile)
        // The entries kept are those read back, as the engine keeps them.
        let kept: [(path: String, entry: FactsEntry)] = Self.second.map { item in
            (item.path, loaded.entries[item.path].flatMap { Self.described($0) == Self.described(item.entry) ? $0 : nil } ?? item.entry)
        }
        let (changed, removed) = FactsStore.changes(kept, since: base)
        #expect(changed.map(\.path) == ["pkg/m5.py", "pkg/m40.py"])
        #expect(removed == ["pkg/m3.py"])
        FactsStore.save(kept, to: store.cache, root: store.root, base: base)
        #expect(store.bytes(store.cache.factsFile) == whole, "the facts file is left as it was")
        let delta = try #require(store.bytes(store.cache.factsDeltaFile))
        #expect(delta.count < whole!.count / 4)
        let again = FactsStore.load(from: store.cache, root: store.root)
        #expect(Self.described(again.entries) == Self.described(Self.second))
        // A later save writes the changes since the facts file again, with the new ones.
        let third = kept.map { $0.path == "pkg/m7.py" ? Self.entry(7, time: 3) : $0 }
        // Required on its own: passed straight to `save`'s optional parameter, `#require` checked an optional of it.
        let againBase: FactsBase = try #require(again.base)
        FactsStore.save(third, to: store.cache, root: store.root, base: againBase)
        #expect(store.bytes(store.cache.factsFile) == whole)
        #expect(Self.described(FactsStore.load(from: store.cache, root: store.root).entries) == Self.described(third))
    }

    @Test(arguments: ["another facts file", "flipped", "truncated", "garbage"])
    func aDeltaThatIsCorruptOrChangesAnotherFactsFileIsIgnored(damage: String) throws {
        let store = try Store()
        defer { store.remove() }
        FactsStore.save(Self.first, to: store.cache, root: store.root)
        let base = try #require(FactsStore.load(from: store.cache, root: store.root).base)
        FactsStore.save(Self.second, to: store.cache, root: store.root, base: base)
        var delta = try #require(store.bytes(store.cache.factsDeltaFile))
        var expected = Self.first
        switch damage {
        case "another facts file":
            // Another scan wrote the facts file whole meanwhile (and removed the delta, which is put back).
            expected = Self.first.map { $0.path == "pkg/m9.py" ? Self.entry(9, time: 5) : $0 }
            FactsStore.save(expected, to: store.cache, root: store.root)
            #expect(store.bytes(store.cache.factsDeltaFile) == nil)
        case "flipped": delta[delta.count - 3] ^= 0x55
        case "truncated": delta.removeLast(delta.count / 2)
        default: delta = Array("not a delta".utf8)
        }
        try Data(delta).write(to: store.cache.factsDeltaFile)
        #expect(Self.described(FactsStore.load(from: store.cache, root: store.root).entries) == Self.described(expected))
    }

    @Test func changesBeyondTheLimitWriteTheFactsFileWholeAndRemoveTheDelta() throws {
        let store = try Store()
        defer { store.remove() }
        FactsStore.save(Self.first, to: store.cache, root: store.root)
        let base = try #require(FactsStore.load(from: store.cache, root: store.root).base)
        FactsStore.save(Self.second, to: store.cache, root: store.root, base: base)
        #expect(store.bytes(store.cache.factsDeltaFile) != nil)
        // Larger than the floor (and an eighth of the facts file).
        let grown = Self.first.map { Self.entry(Int($0.path.dropFirst(5).dropLast(3))!, time: 4, size: 200) }
        FactsStore.save(grown, to: store.cache, root: store.root, base: base)
        #expect(store.bytes(store.cache.factsDeltaFile) == nil)
        #expect((store.bytes(store.cache.factsFile)?.count ?? 0) > FactsStore.deltaFloor)
        let loaded = FactsStore.load(from: store.cache, root: store.root)
        #expect(Self.described(loaded.entries) == Self.described(grown))
    }

    /// `entries` as a cold scan holds them: outcomes not encoded yet, facts hashes zero.
    private static func unencoded(_ entries: [(path: String, entry: FactsEntry)]) throws -> [(path: String, entry: FactsEntry)] {
        try entries.map { path, entry in
            let outcome = try entry.outcome.decode(kind: entry.kind)
            return (path, FactsEntry(unencoded: outcome, hash: entry.hash, stamp: entry.stamp, racy: entry.racy, layout: entry.layout))
        }
    }

    /// A cold scan's entries are encoded as they are written: the file is the one their encoded twins write, and
    /// the save returns the facts hashes the encodings have.
    @Test func entriesNotYetEncodedAreWrittenAsEncodedOnesAreWithTheirFactsHashes() throws {
        let store = try Store()
        defer { store.remove() }
        let cold = try Self.unencoded(Self.first)
        #expect(cold.allSatisfy { $0.entry.factsHash == ContentHash(high: 0, low: 0) })
        let saved = FactsStore.save(cold, to: store.cache, root: store.root)
        #expect(saved == .whole(Self.first.map(\.entry.factsHash)))
        let written = store.bytes(store.cache.factsFile)
        #expect(FactsStore.save(Self.first, to: store.cache, root: store.root) == saved)
        #expect(store.bytes(store.cache.factsFile) == written)
        #expect(Self.described(FactsStore.load(from: store.cache, root: store.root).entries) == Self.described(Self.first))
    }

    /// A cold scan's entries replace whatever facts file there was, whole, and remove a delta of it; a save
    /// that cannot write says so.
    @Test func entriesNotYetEncodedReplaceTheFactsFileAndItsDelta() throws {
        let store = try Store()
        defer { store.remove() }
        FactsStore.save(Self.first, to: store.cache, root: store.root)
        let base = try #require(FactsStore.load(from: store.cache, root: store.root).base)
        #expect(FactsStore.save(Self.second, to: store.cache, root: store.root, base: base) == .delta)
        let saved = FactsStore.save(try Self.unencoded(Self.second), to: store.cache, root: store.root)
        #expect(saved == .whole(Self.second.map(\.entry.factsHash)))
        #expect(store.bytes(store.cache.factsDeltaFile) == nil)
        #expect(Self.described(FactsStore.load(from: store.cache, root: store.root).entries) == Self.described(Self.second))
        let unwritable = ScanCache(folder: URL(fileURLWithPath: "/proc/canon-cannot-write-here"))
        #expect(FactsStore.save(try Self.unencoded(Self.first), to: unwritable, root: store.root) == nil)
    }

    /// An outcome not yet encoded is boxed: entries are copied and kept by the thousand, and an outcome inline
    /// doubled the size of every entry (a scan after an edit ran 10 M instructions more).
    @Test func anOutcomeNotYetEncodedDoesNotWidenTheEntries() {
        #expect(MemoryLayout<EncodedOutcome>.size <= MemoryLayout<(CacheBytes, Range<Int>)>.size + 1)
    }
}
