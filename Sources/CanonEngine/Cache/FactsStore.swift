import CanonCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A cache file's bytes, shared by the entries that point into them: the file mapped read-only. Reading the
/// 28 MB of a large tree's facts into memory of its own took 16 ms here, most of it faulting in and zeroing
/// fresh pages for the copy; mapping the pages the system already holds for the file takes 2 ms.
///
/// The cache replaces its files by renaming new ones over them, so a mapped file is never changed or cut
/// short by Canon; a file cut short by something else while it is mapped ends the process (`SIGBUS`), as it
/// would for `git` or `rg`, which map files alike.
///
/// `@unchecked Sendable`: the mapping is made in `init`, only ever read (it is read-only), and unmapped in
/// `deinit`, when no one holds the object any more; every read goes through `withUnsafeBytes`, while the
/// object is held.
final class CacheBytes: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    let count: Int

    /// The file at `path` mapped, or nil when it does not exist, is not a regular file, is empty or cannot be
    /// mapped.
    init?(mapping path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        #if canImport(Glibc)
            // Every page is read (the checksum covers the whole file): mapped at once rather than fault by fault.
            let flags = MAP_PRIVATE | MAP_POPULATE
        #else
            let flags = MAP_PRIVATE
        #endif
        guard let mapped = mmap(nil, Int(info.st_size), PROT_READ, flags, descriptor, 0), mapped != MAP_FAILED else { return nil }
        base = mapped
        count = Int(info.st_size)
    }

    deinit { munmap(base, count) }

    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

/// One file's outcome encoded for the cache: fresh from this scan, or a slice of the file the last scan wrote;
/// or not encoded yet.
enum EncodedOutcome: Sendable {
    case fresh([UInt8])
    case stored(CacheBytes, Range<Int>)
    /// An outcome of a scan that found no facts in the cache (a cold scan), encoded only as the cache is written
    /// (`FactsStore.save`), on another thread, one at a time: encoded as each file was parsed, the encodings
    /// took a twentieth of a cold scan's time on the cores that parse, and 24 MB held until the save (see
    /// `LoadedProject.factsKnown`). Counting, hashing or reading it encodes it first. Boxed (`indirect`): an
    /// outcome is twice the size of the other cases, and entries are copied and kept by the thousand.
    indirect case unencoded(Engine.Outcome)

    static let factsKind: UInt8 = 0
    static let errorKind: UInt8 = 1
    static let skippedKind: UInt8 = 2

    init(_ outcome: Engine.Outcome) {
        var w = ByteWriter(capacity: 4096)
        Self.encode(outcome, to: &w)
        // Copied to an array of the exact size: thousands of these are kept until the cache is written.
        self = .fresh(w.bytes)
    }

    /// Writes `outcome`'s encoding to `w`.
    static func encode(_ outcome: Engine.Outcome, to w: inout ByteWriter) {
        switch outcome {
        case .facts(let facts): FactsCoding.write(facts, to: &w)
        case .error(let error): FactsCoding.write(error, to: &w)
        case .skipped(let skipped): FactsCoding.write(skipped, to: &w)
        }
    }

    static func kind(of outcome: Engine.Outcome) -> UInt8 {
        switch outcome {
        case .facts: factsKind
        case .error: errorKind
        case .skipped: skippedKind
        }
    }

    /// How many bytes are encoded.
    var count: Int {
        switch self {
        case .fresh(let bytes): bytes.count
        case .stored(_, let range): range.count
        case .unencoded(let outcome): EncodedOutcome(outcome).count
        }
    }

    /// The hash of the encoded bytes.
    var hash: ContentHash {
        switch self {
        case .fresh(let bytes): ContentHash.of(bytes)
        case .stored(let storage, let range): storage.withUnsafeBytes { ContentHash.of(UnsafeRawBufferPointer(rebasing: $0[range])) }
        case .unencoded(let outcome): EncodedOutcome(outcome).hash
        }
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(CorruptCache) -> R) throws(CorruptCache) -> R {
        func run(_ buffer: UnsafeRawBufferPointer) -> Result<R, CorruptCache> {
            do throws(CorruptCache) {
                return .success(try body(buffer))
            } catch {
                return .failure(error)
            }
        }
        switch self {
        case .fresh(let bytes):
            return try bytes.withUnsafeBytes(run).get()
        case .stored(let storage, let range):
            return try storage.withUnsafeBytes { run(UnsafeRawBufferPointer(rebasing: $0[range])) }.get()
        case .unencoded(let outcome):
            return try EncodedOutcome(outcome).withBytes(body)
        }
    }

    /// The outcome, decoded; it must be of `kind` and fill the slice exactly. With `deferringDetails`, facts
    /// hold their details undecoded, and this outcome's bytes with them, until the details are first read
    /// (`FactsCoding.readFacts(_:deferring:)`).
    func decode(kind: UInt8, deferringDetails: Bool = false) throws(CorruptCache) -> Engine.Outcome {
        if case .unencoded(let outcome) = self {
            guard Self.kind(of: outcome) == kind else { throw CorruptCache() }
            return outcome
        }
        return try withBytes { buffer throws(CorruptCache) in
            var r = ByteReader(buffer)
            let outcome: Engine.Outcome
            switch kind {
            case Self.factsKind: outcome = .facts(try FactsCoding.readFacts(&r, deferring: deferringDetails ? self : nil))
            case Self.errorKind: outcome = .error(try FactsCoding.readError(&r))
            case Self.skippedKind: outcome = .skipped(try FactsCoding.readSkipped(&r))
            default: throw CorruptCache()
            }
            guard r.isAtEnd else { throw CorruptCache() }
            return outcome
        }
    }
}

/// What the cache knows of one file: how it looked on disk, its content hash, the project layout its front end
/// read it under (which decides its module name), and its outcome (facts, syntax error or binary-file
/// notice), encoded.
struct FactsEntry: Sendable {
    var stamp: FileStamp
    /// Whether the file was modified so shortly before it was read that a later change could keep the same
    /// stamp; such an entry is hashed again next time rather than trusted by its stamp.
    var racy: Bool
    var hash: ContentHash
    /// The key of the layout the file was read under (`LayoutKey`).
    var layout: ContentHash
    var kind: UInt8
    var outcome: EncodedOutcome
    /// The hash of `outcome`'s bytes: what the file gives the rules. An edit that changes no fact (a comment,
    /// most of a function's body) keeps it, and so keeps the cached findings of the whole project. Zero while
    /// the outcome is `unencoded`: `FactsStore.save` works it out as it encodes the outcome.
    var factsHash: ContentHash

    /// Whether this entry is `stored`, as read from `storage`: the same in every field, its outcome the same
    /// slice of the same file.
    func isStored(as stored: FactsEntry, in storage: CacheBytes) -> Bool {
        guard case .stored(let bytes, let range) = outcome, bytes === storage, case .stored(let storedBytes, let storedRange) = stored.outcome,
            storedBytes === storage, range == storedRange
        else { return false }
        return stamp == stored.stamp && racy == stored.racy && hash == stored.hash && layout == stored.layout && kind == stored.kind
            && factsHash == stored.factsHash
    }
}

/// The facts the last scans of a root left: the facts file's entries (`facts.bin`) with the changes since it
/// was written (`facts.delta`) applied, and the facts file itself, for `FactsStore.save` to write only what
/// changed since.
struct StoredFacts: Sendable {
    var entries: [String: FactsEntry] = [:]
    var base: FactsBase?
}

/// A facts file as read: its bytes, its checksum (which a delta names to say what it changes) and its entries
/// as written, before a delta's changes.
struct FactsBase: Sendable {
    let storage: CacheBytes
    let checksum: ContentHash
    let entries: [String: FactsEntry]
}

/// The per-file facts cache of one root, in two files. `facts.bin` holds every file's entry and is mapped
/// whole (`CacheBytes`). `facts.delta` holds the entries that changed since `facts.bin` was written, and the
/// paths gone since, with the checksum of the `facts.bin` it changes: a scan after an edit writes the few
/// entries that differ from `facts.bin`, not the whole (24 MB for the shared corpora: copying and hashing it
/// was a tenth of such a scan). When the changes outgrow an eighth of `facts.bin` (and `deltaFloor`),
/// `facts.bin` is written again, whole, and the delta removed. A delta that names another `facts.bin` (two scans at once, one
/// writing each file) is ignored, as a corrupt one is.
enum FactsStore {
    static let magic: StaticString = "CANONFC\u{1}"
    static let deltaMagic: StaticString = "CANONFD\u{1}"
    /// The size a delta may always grow to, however small the facts file: rewriting a small file whole saves
    /// nothing.
    static let deltaFloor = 1 << 16

    /// The entries the last scans of `root` left, by path, with the facts file they came from; empty when
    /// there are none or they cannot be trusted (another root's, another build's, corrupt).
    static func load(from cache: ScanCache, root: String) -> StoredFacts {
        let key = ContentHash.of(root)
        guard let storage = cache.read(cache.factsFile),
            let (checksum, entries) = read(storage, magic: magic, build: cache.build, key: key, body: { r, storage throws(CorruptCache) in
                try readEntries(&r, storage: storage)
            })
        else { return StoredFacts() }
        let base = FactsBase(storage: storage, checksum: checksum, entries: entries)
        guard let delta = cache.read(cache.factsDeltaFile),
            let (_, changes) = read(delta, magic: deltaMagic, build: cache.build, key: key, body: { r, delta throws(CorruptCache) in
                guard try r.hash() == checksum else { throw CorruptCache() }
                let removed = try (0..<r.count()).map { _ throws(CorruptCache) in try r.string() }
                return (removed: removed, entries: try readEntries(&r, storage: delta))
            })
        else { return StoredFacts(entries: entries, base: base) }
        var merged = entries
        for path in changes.removed { merged[path] = nil }
        merged.merge(changes.entries) { _, changed in changed }
        return StoredFacts(entries: merged, base: base)
    }

    /// What `body` reads of the payload of the cache file in `storage`, which must read all of it, with the
    /// file's checksum; nil when the file is not one of `magic` for `build` and `key`, or `body` finds it corrupt.
    private static func read<T>(
        _ storage: CacheBytes, magic: StaticString, build: String, key: ContentHash,
        body: (inout ByteReader, CacheBytes) throws(CorruptCache) -> T
    ) -> (checksum: ContentHash, read: T)? {
        storage.withUnsafeBytes { buffer in
            guard let (payload, written, checksum) = CacheFile.unwrap(buffer, magic: magic, build: build), written == key else {
                return nil
            }
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[..<payload.upperBound]), offset: payload.lowerBound)
            do throws(CorruptCache) {
                let value = try body(&r, storage)
                return r.isAtEnd ? (checksum, value) : nil
            } catch {
                return nil
            }
        }
    }

    /// A list of entries as `write(_:to:)` wrote it, by path; their outcomes are slices of `storage`.
    private static func readEntries(_ r: inout ByteReader, storage: CacheBytes) throws(CorruptCache) -> [String: FactsEntry] {
        let count = try r.count()
        var entries: [String: FactsEntry] = [:]
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let path = try r.string()
            let stamp = FileStamp(size: try r.int(), modified: Int64(try r.int()), inode: try r.varint())
            let racy = try r.bool()
            let hash = try r.hash()
            let layout = try r.hash()
            let kind = try r.byte()
            let factsHash = try r.hash()
            let length = try r.count()
            let start = r.offset
            _ = try r.bytes(length)
            entries[path] = FactsEntry(
                stamp: stamp, racy: racy, hash: hash, layout: layout, kind: kind,
                outcome: .stored(storage, start..<(start + length)), factsHash: factsHash)
        }
        return entries
    }

    /// What `FactsStore.save` wrote.
    enum Saved: Equatable {
        /// The facts file, whole, and each entry's facts hash in order: worked out, for an entry whose outcome was
        /// `unencoded`, as it was encoded.
        case whole([ContentHash])
        /// A delta of the facts file the scan read.
        case delta
    }

    /// Writes `entries` (in path order) as the cache of `root`: as a delta of `base` (the facts file the scan
    /// read) when what changed since it is small, else whole, replacing what was there; nil when nothing could
    /// be written. Entries not yet encoded are those of a cold scan, which read no facts file: they come
    /// without a `base`, and are written whole, their facts hashes worked out on the way.
    @discardableResult
    static func save(
        _ entries: [(path: String, entry: FactsEntry)], to cache: ScanCache, root: String, base: FactsBase? = nil
    ) -> Saved? {
        let key = ContentHash.of(root)
        if let base {
            assert(!entries.contains { if case .unencoded = $0.entry.outcome { true } else { false } }, "a delta of entries not encoded")
            let (changed, removed) = changes(entries, since: base)
            let size = changed.reduce(0) { $0 + $1.path.utf8.count + $1.entry.outcome.count + 64 }
            if size <= max(base.storage.count / 8, deltaFloor) {
                let written = cache.write(to: cache.factsDeltaFile, magic: deltaMagic, key: key) { payload in
                    payload.w.hash(base.checksum)
                    payload.w.varint(UInt64(removed.count))
                    for path in removed { payload.w.string(path) }
                    write(changed, to: &payload)
                }
                if written { return .delta }
            }
        }
        var hashes: [ContentHash] = []
        guard cache.write(to: cache.factsFile, magic: magic, key: key, payload: { hashes = write(entries, to: &$0) }) else { return nil }
        // A delta names the facts file it changes, so one left from before is ignored; removed, it is not read.
        unlink(cache.factsDeltaFile.path)
        return .whole(hashes)
    }

    /// The entries that differ from `base`'s (by path, in `entries`' order) and the paths of `base` that are
    /// gone, sorted.
    static func changes(
        _ entries: [(path: String, entry: FactsEntry)], since base: FactsBase
    ) -> (changed: [(path: String, entry: FactsEntry)], removed: [String]) {
        var kept = Set<String>()
        kept.reserveCapacity(entries.count)
        var changed: [(path: String, entry: FactsEntry)] = []
        for (path, entry) in entries {
            kept.insert(path)
            if let stored = base.entries[path], entry.isStored(as: stored, in: base.storage) { continue }
            changed.append((path, entry))
        }
        let removed = base.entries.keys.filter { !kept.contains($0) }.sorted()
        return (changed, removed)
    }

    /// Writes a list of entries, the format `readEntries` reads.
    /// Writes `entries` and returns their facts hashes, in order. An `unencoded` outcome is encoded here, into
    /// one buffer the entries share, and written from it: the encodings are never all held at once.
    @discardableResult
    private static func write(_ entries: [(path: String, entry: FactsEntry)], to payload: inout PayloadWriter) -> [ContentHash] {
        var hashes: [ContentHash] = []
        hashes.reserveCapacity(entries.count)
        var encoding = ByteWriter(capacity: 1 << 16)
        payload.w.varint(UInt64(entries.count))
        for (path, entry) in entries {
            var factsHash = entry.factsHash
            if case .unencoded(let outcome) = entry.outcome {
                encoding.removeAll()
                EncodedOutcome.encode(outcome, to: &encoding)
                factsHash = ContentHash.of(encoding)
            }
            payload.w.string(path)
            payload.w.int(entry.stamp.size)
            payload.w.int(Int(entry.stamp.modified))
            payload.w.varint(entry.stamp.inode)
            payload.w.bool(entry.racy)
            payload.w.hash(entry.hash)
            payload.w.hash(entry.layout)
            payload.w.byte(entry.kind)
            payload.w.hash(factsHash)
            switch entry.outcome {
            case .fresh(let bytes):
                payload.w.varint(UInt64(bytes.count))
                payload.w.raw(bytes)
            case .stored(let storage, let range):
                payload.w.varint(UInt64(range.count))
                storage.withUnsafeBytes { payload.w.raw(UnsafeRawBufferPointer(rebasing: $0[range])) }
            case .unencoded:
                payload.w.varint(UInt64(encoding.count))
                encoding.withUnsafeBytes { payload.w.raw($0) }
            }
            payload.flush()
            hashes.append(factsHash)
        }
        return hashes
    }
}

/// The findings cache of one root: the findings (and the suppressed ones) of the last scan, fingerprinted,
/// kept while the set of facts, the rules and the reported paths are the same; and the content hash of each
/// file they were fingerprinted from, so that findings in a file whose text changed but not its facts are
/// fingerprinted again rather than trusted.
enum FindingsStore {
    static let magic: StaticString = "CANONFN\u{A}"

    /// What the store holds.
    struct Stored: Equatable {
        var findings: [Finding]
        var suppressed: [Finding]
        /// The content hash of every file the findings point into, as it was when they were fingerprinted.
        var fingerprintedFrom: [String: ContentHash]
        /// The edits that fix each fixable finding on its own, for the files in `editedPaths`.
        var edits: [Finding: [TextEdit]] = [:]
        /// The files whose fixable findings' edits were worked out (from the text the findings were
        /// fingerprinted from); a fixable finding elsewhere has not been looked at.
        var editedPaths: Set<String> = []
        /// What the findings were worked out from, when the scan that stored them knew it.
        var basis: Basis?
        /// What the check that worked the findings out left for the next one; kept with a basis only.
        var memo = Engine.CheckMemo()

        /// Works out the edits of the fixable findings in files not in `editedPaths`, from the index `index`
        /// gives (asked for only when there is such a finding) and the files under `root` as they are now.
        mutating func addEdits(with editsOfFindings: ScanRequest.EditsOfFindings, root: URL, index: () -> ProjectIndex) {
            let pending = findings.filter { $0.isFixable && !editedPaths.contains($0.location.path) }
            guard !pending.isEmpty else { return }
            edits.merge(editsOfFindings(pending, index(), Engine.diskSource(root: root))) { first, _ in first }
            editedPaths.formUnion(pending.map(\.location.path))
        }
    }

    /// What a scan's findings were worked out from, so that a scan after an edit can tell whose facts changed
    /// since (see `Engine.LastCheck`).
    struct Basis: Equatable {
        /// The hash of all of the findings' key but the facts (`FindingsKey.describe`'s text): the rules with
        /// their options, the settings, the policy files and the paths reported.
        var described: ContentHash
        /// `LoadedProject.shapeKey`: the files, their kinds of outcome, and the compiled modules.
        var shape: ContentHash
        /// `LoadedProject.factsHashes`: each file's facts hash, in path order.
        var facts: [ContentHash]

        /// The files whose facts differ from `earlier`'s, among `paths` (the files of both, in path order);
        /// nil when the two differ in more than facts (other rules, settings or paths reported, a file added,
        /// removed, or parsed into an error).
        func edited(since earlier: Basis, paths: [String]) -> Set<String>? {
            guard described == earlier.described, shape == earlier.shape, facts.count == earlier.facts.count,
                paths.count == facts.count
            else { return nil }
            var edited: Set<String> = []
            for offset in facts.indices where facts[offset] != earlier.facts[offset] { edited.insert(paths[offset]) }
            return edited
        }
    }

    /// What the store holds and the key it was saved under, whatever that key is; nil when there is no store or
    /// it is corrupt or of another build.
    static func load(from cache: ScanCache) -> (key: ContentHash, stored: Stored)? {
        guard let storage = cache.read(cache.findingsFile) else { return nil }
        return storage.withUnsafeBytes { buffer -> (key: ContentHash, stored: Stored)? in
            guard let (payload, key, _) = CacheFile.unwrap(buffer, magic: magic, build: cache.build) else { return nil }
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[..<payload.upperBound]), offset: payload.lowerBound)
            do throws(CorruptCache) {
                let (findings, suppressed, hashes, edits, editedPaths) = try r.recallingStrings { r throws(CorruptCache) in
                    let findings = try r.array(FactsCoding.readFinding)
                    let suppressed = try r.array(FactsCoding.readFinding)
                    let hashes = try r.array { r throws(CorruptCache) in
                        (try r.string(), try r.hash())
                    }
                    let edits = try r.array { r throws(CorruptCache) in
                        let position = try r.int()
                        guard findings.indices.contains(position) else { throw CorruptCache() }
                        return (findings[position], try r.array(FactsCoding.readEdit))
                    }
                    let editedPaths = try r.array { r throws(CorruptCache) in try r.string() }
                    return (findings, suppressed, hashes, edits, editedPaths)
                }
                var basis: Basis?
                var memo = Engine.CheckMemo()
                if try r.byte() == 1 {
                    basis = Basis(
                        described: try r.hash(), shape: try r.hash(), facts: try r.array { r throws(CorruptCache) in try r.hash() })
                    memo.superseded = try r.recallingStrings { r throws(CorruptCache) in try r.array(FactsCoding.readFinding) }
                }
                guard r.isAtEnd else { return nil }
                return (
                    key,
                    Stored(
                        findings: findings, suppressed: suppressed,
                        fingerprintedFrom: Dictionary(hashes, uniquingKeysWith: { first, _ in first }),
                        edits: Dictionary(edits, uniquingKeysWith: { first, _ in first }), editedPaths: Set(editedPaths),
                        basis: basis, memo: memo)
                )
            } catch {
                return nil
            }
        }
    }

    static func save(_ stored: Stored, to cache: ScanCache, key: ContentHash) {
        let edited = stored.findings.indices.compactMap { position in stored.edits[stored.findings[position]].map { (position, $0) } }
        cache.write(to: cache.findingsFile, magic: magic, key: key) { payload in
            payload.w.recallingStrings { w in
                w.array(stored.findings) { w, finding in FactsCoding.write(finding, to: &w) }
                w.array(stored.suppressed) { w, finding in FactsCoding.write(finding, to: &w) }
                w.array(stored.fingerprintedFrom.sorted { $0.key < $1.key }) { w, entry in
                    w.string(entry.key)
                    w.hash(entry.value)
                }
                w.array(edited) { w, entry in
                    w.int(entry.0)
                    w.array(entry.1) { w, edit in FactsCoding.write(edit, to: &w) }
                }
                w.array(stored.editedPaths.sorted()) { w, path in w.string(path) }
            }
            if let basis = stored.basis {
                payload.w.byte(1)
                payload.w.hash(basis.described)
                payload.w.hash(basis.shape)
                payload.w.array(basis.facts) { w, hash in w.hash(hash) }
                payload.w.recallingStrings { w in
                    w.array(stored.memo.superseded) { w, finding in FactsCoding.write(finding, to: &w) }
                }
            } else {
                payload.w.byte(0)
            }
        }
    }
}
