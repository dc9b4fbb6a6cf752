import CanonCore
import CanonPolicy
import Foundation

/// One discovered file after the load phase: parsed now, or taken from the cache without being read.
struct LoadedFile: Sendable {
    let path: String
    let absolutePath: String
    /// What the cache keeps for the file; nil for a file that could not be read.
    var entry: FactsEntry?
    /// The outcome when the file was parsed (or could not be read) in this scan; nil when it comes from the
    /// cache and has not been decoded yet.
    var outcome: Engine.Outcome?
    /// The bytes parsed, when the caller asked to keep them.
    var bytes: [UInt8]?
    /// How the load phase got its outcome.
    var how: Engine.HowLoaded
    /// What the cache kept for the file before it was parsed again in this scan (its text changed).
    var earlier: FactsEntry?
}

/// Every file under a root with its outcome or its cache entry, in path order.
struct LoadedProject: Sendable {
    var files: [LoadedFile]
    var skippedByWalk: [SkippedFile]
    /// The module names of compiled modules beside the sources (`.pyx`, `.so`, `.pyd`).
    var compiledModules: [String]
    /// The front ends' readers for this project.
    var readers: Engine.Readers
    /// Whether what the cache holds differs from `files` (a file parsed, re-stamped, added or gone).
    var cacheIsStale: Bool
    /// A hash of the layout, every file's path and kind of outcome, and the compiled modules: the facts key
    /// (`factsKey(shape:hashes:)`) is the hash of it and `factsHashes`, so two loads of the same shape differ
    /// only in the facts of some files.
    var shapeKey: ContentHash
    /// Each file's facts hash (see `FactsEntry.factsHash`), in the order of `files`; zero for a file that could
    /// not be read, and for every file without a cache. Only meaningful when `factsKnown`.
    var factsHashes: [ContentHash]
    /// Whether `factsHashes` are known. Not after a cold scan (the cache held no facts), whose outcomes are
    /// encoded only as the cache is saved, on another thread (see `EncodedOutcome.unencoded`): `save(to:root:)`
    /// returns the facts hashes then.
    var factsKnown = true
    /// The facts file the cache's entries were read from, for the save to write only what changed since.
    var factsBase: FactsBase?
    /// How many files the front end parsed, and how many came from the cache.
    var parsedFiles = 0
    var reusedFiles = 0

    /// The files' outcomes, decoding cached ones on `jobs` threads. An entry that does not decode is parsed
    /// again from the file. With `deferringDetails`, cached facts hold their details undecoded until they are
    /// first read (see `FileFacts.Details`), and the cache's bytes with them.
    func outcomes(jobs: Int, kinds: Set<UInt8>? = nil, deferringDetails: Bool = false) -> [Engine.Outcome] {
        concurrentCompactMap(files, jobs: jobs) { file -> Engine.Outcome? in
            if let outcome = file.outcome { return outcome }
            guard let entry = file.entry else { return nil }
            if let kinds, !kinds.contains(entry.kind) { return nil }
            if let decoded = try? entry.outcome.decode(kind: entry.kind, deferringDetails: deferringDetails) { return decoded }
            switch FileReader.read(file.absolutePath) {
            case .success(let bytes): return Engine.parse(consume bytes, path: file.path, readers: readers)
            case .failure(let failure): return .skipped(SkippedFile(path: file.path, reason: failure.reason))
            }
        }
    }

    /// The facts the cache kept for each of `paths` before it was parsed again in this scan, for the files that
    /// had facts then.
    func earlierFacts(of paths: Set<String>) -> [String: FileFacts] {
        var facts: [String: FileFacts] = [:]
        for file in files where paths.contains(file.path) {
            guard let earlier = file.earlier, case .facts(let old)? = try? earlier.outcome.decode(kind: earlier.kind) else { continue }
            facts[file.path] = old
        }
        return facts
    }

    /// Every file's outcome, decoded on `jobs` threads and sorted into facts, errors and skipped files (the
    /// walk's first); unlike the project, it holds no cache bytes, but with `deferringDetails`, what the facts'
    /// undecoded details hold (see `outcomes`).
    func decoded(jobs: Int, deferringDetails: Bool = false) -> DecodedProject {
        let (files, errors, skipped) = split(outcomes(jobs: jobs, deferringDetails: deferringDetails))
        return DecodedProject(files: files, errors: errors, skipped: skipped, compiledModules: compiledModules, readers: readers)
    }

    /// The facts, errors and skipped files; with `decodingFacts` false, only errors and skipped files are
    /// decoded and `files` is empty (what a scan needs when its findings come from the cache).
    func result(jobs: Int, decodingFacts: Bool = true) -> FactsResult {
        let kinds: Set<UInt8>? = decodingFacts ? nil : [EncodedOutcome.errorKind, EncodedOutcome.skippedKind]
        let (files, errors, skipped) = split(outcomes(jobs: jobs, kinds: kinds))
        return FactsResult(files: files, errors: errors.sorted(), skipped: skipped.sorted(), compiledModules: compiledModules)
    }

    /// `outcomes` sorted into facts, errors and skipped files (after the walk's), each moved rather than copied.
    private func split(_ outcomes: consuming [Engine.Outcome]) -> (files: [FileFacts], errors: [FileError], skipped: [SkippedFile]) {
        var files: [FileFacts] = []
        var errors: [FileError] = []
        var skipped = skippedByWalk
        files.reserveCapacity(outcomes.count)
        // Taken from the end, so that each outcome leaves the list rather than being copied out of it.
        outcomes.reverse()
        while let outcome = outcomes.popLast() {
            switch consume outcome {
            case .facts(let facts): files.append(facts)
            case .error(let error): errors.append(error)
            case .skipped(let skip): skipped.append(skip)
            }
        }
        return (files, errors, skipped)
    }

    /// Each file's content hash, by path (with a cache; without one, empty).
    var contentHashes: [String: ContentHash] {
        Dictionary(uniqueKeysWithValues: files.compactMap { file in file.entry.map { (file.path, $0.hash) } })
    }

    /// How many files parsed, with or without errors, without decoding any.
    var parsedCount: Int {
        files.count { file in
            if let outcome = file.outcome {
                if case .skipped = outcome { return false }
                return true
            }
            return file.entry.map { $0.kind != EncodedOutcome.skippedKind } ?? false
        }
    }

    /// Writes the files' entries as the cache of `root`, and returns each file's facts hash, as `factsHashes`
    /// lists them (worked out now for outcomes not encoded yet); nil when the cache could not be written.
    @discardableResult
    func save(to cache: ScanCache, root: String) -> [ContentHash]? {
        let entries = files.compactMap { file in file.entry.map { (file.path, $0) } }
        // Outcomes not encoded yet are those of a scan that read no facts: written whole, not as a delta.
        let saved = FactsStore.save(entries, to: cache, root: root, base: factsKnown ? factsBase : nil)
        guard let saved else { return nil }
        guard !factsKnown, case .whole(let written) = saved else { return factsHashes }
        var hashes: [ContentHash] = []
        hashes.reserveCapacity(files.count)
        var next = 0
        for index in files.indices {
            if files[index].entry == nil {
                hashes.append(ContentHash(high: 0, low: 0))
            } else {
                hashes.append(written[next])
                next += 1
            }
        }
        return hashes
    }

    /// The facts key of a project of `shape` (`shapeKey`) whose files have the facts hashes `hashes`: a hash of
    /// every file's path and outcome (its facts, syntax error or notice), and of the compiled modules, the key of
    /// what is derived from the whole set. It hashes the shape, then each file's facts hash, in path order.
    static func factsKey(shape: ContentHash, hashes: [ContentHash]) -> ContentHash {
        var key = ByteWriter(capacity: 16 * (hashes.count + 1))
        key.hash(shape)
        for hash in hashes { key.hash(hash) }
        return ContentHash.of(key)
    }
}

/// A loaded project's outcomes, decoded: what a snapshot is built from. Each list is in path order, but for
/// the skipped files, which come in two runs (the walk's, then those passed over when read).
struct DecodedProject: Sendable {
    var files: [FileFacts]
    var errors: [FileError]
    var skipped: [SkippedFile]
    var compiledModules: [String]
    var readers: Engine.Readers
}

extension Engine {
    /// How close to the scan a modification time must be for the file's stamp not to be trusted next time.
    static let racyWindow: Int64 = 2_000_000_000

    /// Discovers every file under `root` the policy includes and a front end reads, and gets its outcome:
    /// from the cache when its stamp (or, failing that, its content hash) matches and the project's layout is
    /// the same, else by reading and parsing it, on `jobs` threads. With `keepingBytes`, the bytes of the
    /// files read are kept. Throws `EngineError.cancelled` when the monitor asks to stop.
    static func load(
        root: URL, policy: Policy, frontEnds: [any FrontEnd], jobs: Int, cache: ScanCache?, keepingBytes: Bool = false,
        monitor: ScanMonitor = ScanMonitor()
    ) throws(EngineError) -> LoadedProject {
        let frontEnds = frontEnds.isEmpty ? defaultFrontEnds : frontEnds
        let base = root.standardizedFileURL.resolvingSymlinksInPath()
        // The last scan's facts are read while the tree is walked: neither waits for the other.
        let previousFacts = Locked(StoredFacts())
        let readingCache = DispatchGroup()
        if let cache {
            DispatchQueue.global().async(group: readingCache) {
                let stored = FactsStore.load(from: cache, root: base.path)
                previousFacts.withLock { $0 = stored }
            }
        }
        let discovery = Discovery(
            root: root, include: policy.include.map(Glob.init), exclude: policy.exclude.map(Glob.init),
            maxFileSize: policy.maxFileSize, reads: { path in frontEnds.contains { $0.handles(path: path) } })
        let reads = Locked([String: ContentHash?]())
        let source = Engine.diskSource(root: root)
        let read: @Sendable (String) -> [UInt8]? = { path in
            let bytes = source(path)
            reads.withLock { $0[path] = bytes.map { ContentHash.of($0) } }
            return bytes
        }
        let early = jobs > 1 && !keepingBytes
            ? EarlyParsing(frontEnds: frontEnds, hashing: cache != nil, monitor: monitor) {
                // Only when the last scan left no facts: else most files are taken from them, not parsed.
                readingCache.wait()
                guard previousFacts.withLock({ $0.entries.isEmpty }) else { return nil }
                return ProjectLayout(paths: [], roots: policy.settings.roots, rootName: base.lastPathComponent, read: read)
            } : nil
        let (found, skippedByWalk, compiled) = discovery.run(jobs: jobs) { early?.offer($0) }
        early?.walkEnded()
        let naming = ModuleNaming(root: root, roots: policy.settings.roots)
        let compiledModules = compiled.map { path in
            // `pkg/speedups.cpython-312-x86_64-linux-gnu.so` is module `pkg.speedups`.
            let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
            let stem = path[slash...].prefix { $0 != "." }
            return naming.module(forPath: path[..<slash] + stem + ".py").name
        }
        let layout = ProjectLayout(paths: found.map(\.path), roots: policy.settings.roots, rootName: base.lastPathComponent, read: read)
        let readers = Readers(frontEnds: frontEnds, layout: layout)
        let layoutKey = LayoutKey.of(layout, frontEnds: frontEnds, reads: reads.withLock { $0 })
        readingCache.wait()
        let (previous, factsBase) = previousFacts.withLock { stored in
            defer { stored = StoredFacts() }
            return (stored.entries, stored.base)
        }
        // With a last scan's facts to take, the early thread parsed nothing (see its layout): no file is asked for.
        let parsedEarly = previous.isEmpty ? early : nil
        // With none to compare with, the outcomes of the files parsed are encoded as the cache is saved, not here
        // (as the early thread's are: it parses only then).
        let encodingAtSave = previous.isEmpty
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let done = Locked(0)
        let loaded = parallelMap(found, jobs: jobs) { file -> LoadedFile in
            if monitor.isCancelled() {
                return LoadedFile(
                    path: file.path, absolutePath: file.absolutePath,
                    outcome: .skipped(SkippedFile(path: file.path, reason: "cancelled")), how: .unreadable)
            }
            // Reported under the lock, so that calls come one at a time with `done` rising: counted first and
            // reported after, a thread could report 2 of 3 after another had reported 3 of 3.
            defer { done.withLock { $0 += 1; monitor.progress($0, found.count) } }
            if var parsed = parsedEarly?.take(file.path) {
                parsed.entry?.layout = layoutKey
                parsed.entry?.racy = now - file.stamp.modified < racyWindow
                return parsed
            }
            let old = previous[file.path].flatMap { $0.layout == layoutKey ? $0 : nil }
            if let old, old.stamp == file.stamp, !old.racy, !keepingBytes {
                return LoadedFile(path: file.path, absolutePath: file.absolutePath, entry: old, how: .unchanged)
            }
            let bytes: [UInt8]
            switch FileReader.read(file.absolutePath, size: file.stamp.size) {
            case .success(let read): bytes = read
            case .failure(let failure):
                return LoadedFile(
                    path: file.path, absolutePath: file.absolutePath,
                    outcome: .skipped(SkippedFile(path: file.path, reason: failure.reason)), how: .unreadable)
            }
            // Only the cache reads the hash: without one, hashing every file cost a hundredth of a scan.
            let hash = cache.map { _ in ContentHash.of(bytes) }
            let racy = now - file.stamp.modified < racyWindow
            if var reused = old, reused.hash == hash, !keepingBytes {
                reused.stamp = file.stamp
                reused.racy = racy
                return LoadedFile(path: file.path, absolutePath: file.absolutePath, entry: reused, how: .sameContent)
            }
            let kept = keepingBytes ? bytes : nil
            let outcome = parse(consume bytes, path: file.path, readers: readers)
            let entry = hash.map {
                encodingAtSave
                    ? FactsEntry(unencoded: outcome, hash: $0, stamp: file.stamp, racy: racy, layout: layoutKey)
                    : FactsEntry(parsed: outcome, hash: $0, stamp: file.stamp, racy: racy, layout: layoutKey)
            }
            return LoadedFile(
                path: file.path, absolutePath: file.absolutePath, entry: entry, outcome: outcome,
                bytes: kept, how: .parsed, earlier: old)
        }
        if monitor.isCancelled() { throw .cancelled }
        var shape = ByteWriter(capacity: loaded.count * 48)
        shape.hash(layoutKey)
        for file in loaded {
            shape.string(file.path)
            shape.byte(file.entry?.kind ?? 0xFF)
        }
        for module in compiledModules { shape.string("compiled " + module) }
        let shapeKey = ContentHash.of(shape)
        let factsHashes = loaded.map { $0.entry?.factsHash ?? ContentHash(high: 0, low: 0) }
        let changed = loaded.contains { if case .unchanged = $0.how { false } else { true } }
        var project = LoadedProject(
            files: loaded, skippedByWalk: skippedByWalk, compiledModules: compiledModules, readers: readers,
            cacheIsStale: cache != nil && (changed || previous.count != loaded.count), shapeKey: shapeKey,
            factsHashes: factsHashes, factsBase: factsBase)
        // A file parsed has an entry (not encoded yet) exactly when there is a cache.
        project.factsKnown = cache == nil || !encodingAtSave || !loaded.contains { $0.how == .parsed }
        for file in project.files {
            switch file.how {
            case .unchanged, .sameContent: project.reusedFiles += 1
            case .parsed: project.parsedFiles += 1
            case .unreadable: break
            }
        }
        return project
    }

    /// Parses files while the tree is still being walked, on one thread, when the last scan left no facts to
    /// take (no cache, or an empty one): the walk runs on one core for a twentieth of a cold scan of a large
    /// tree, and the other core waited. Only files a Python front end reads are parsed early: its reader needs
    /// only the roots and the root folder, while other front ends' readers need every path the walk finds.
    /// `load` takes each file parsed early as if it had parsed it, the entry completed with the layout's key.
    final class EarlyParsing: Sendable {
        private struct State {
            var queue: [DiscoveredFile] = []
            var next = 0
            /// Set when the walk ends: files not taken by then are left to `load`.
            var ended = false
            /// The file being parsed.
            var busy: String?
            var parsed: [String: LoadedFile] = [:]
        }

        private let state = Locked(State())
        private let offered = DispatchSemaphore(value: 0)
        private let finished = DispatchGroup()

        /// Starts the thread. `layout` runs on it first: the layout to make Python readers with, or nil to parse
        /// nothing.
        init(frontEnds: [any FrontEnd], hashing: Bool, monitor: ScanMonitor, layout: @escaping @Sendable () -> ProjectLayout?) {
            DispatchQueue.global().async(group: finished) { [state, offered] in
                guard let layout = layout() else {
                    state.withLock { $0.ended = true }
                    return
                }
                // The front end that reads a path is the first that handles it.
                let python = frontEnds.compactMap { $0 as? PythonLanguage }.first.map { [(frontEnd: $0 as any FrontEnd, reader: $0.reader(for: layout))] }
                let readers = Readers(python ?? [])
                while true {
                    offered.wait()
                    // The monitor is the caller's: asked outside the lock.
                    if monitor.isCancelled() { return }
                    let next: DiscoveredFile? = state.withLock { state in
                        guard !state.ended, state.next < state.queue.count else { return nil }
                        defer { state.next += 1 }
                        state.busy = state.queue[state.next].path
                        return state.queue[state.next]
                    }
                    guard let file = next else { return }
                    var loaded: LoadedFile?
                    if frontEnds.first(where: { $0.handles(path: file.path) }) is PythonLanguage,
                        case .success(let bytes) = FileReader.read(file.absolutePath, size: file.stamp.size)
                    {
                        let hash = hashing ? ContentHash.of(bytes) : nil
                        let outcome = Engine.parse(consume bytes, path: file.path, readers: readers)
                        // The layout's key and whether the file is racy are `load`'s to set, once the walk has ended.
                        // Encoded as the cache is saved: files are parsed early only when the last scan left no facts.
                        let entry = hash.map {
                            FactsEntry(unencoded: outcome, hash: $0, stamp: file.stamp, racy: true, layout: ContentHash(high: 0, low: 0))
                        }
                        loaded = LoadedFile(path: file.path, absolutePath: file.absolutePath, entry: entry, outcome: outcome, how: .parsed)
                    }
                    state.withLock { state in
                        state.busy = nil
                        if let loaded { state.parsed[file.path] = loaded }
                    }
                }
            }
        }

        /// How many files are parsed and not yet taken (tests wait on it for the thread).
        var parsedCount: Int { state.withLock { $0.parsed.count } }

        /// A file the walk found.
        func offer(_ file: DiscoveredFile) {
            guard state.withLock({ state in
                if !state.ended { state.queue.append(file) }
                return !state.ended
            }) else { return }
            offered.signal()
        }

        /// Ends the parsing at the file in hand.
        func walkEnded() {
            state.withLock { $0.ended = true }
            offered.signal()
        }

        /// The file at `path` as parsed early, if it was (waiting for it if it is being parsed); call after
        /// `walkEnded`.
        func take(_ path: String) -> LoadedFile? {
            let (parsed, busy) = state.withLock { state in (state.parsed.removeValue(forKey: path), state.busy == path) }
            guard parsed == nil, busy else { return parsed }
            // The walk has ended, so this file is the thread's last.
            finished.wait()
            return state.withLock { $0.parsed.removeValue(forKey: path) }
        }
    }

    /// How the load phase got a file's outcome.
    enum HowLoaded: Sendable {
        /// From the cache, its stamp unchanged.
        case unchanged
        /// From the cache, its stamp changed but not its content.
        case sameContent
        /// Parsed now.
        case parsed
        /// It could not be read.
        case unreadable
    }
}

/// The key of what decides, beside a file's own bytes and path, the facts a front end gives it: the source
/// roots, the root's name, every file the front ends read to prepare (package manifests, the root's
/// `__init__.py`) with its content, and, for front ends other than Python's (Swift names modules by SwiftPM
/// target, from the layout of the whole tree), the list of their files. Python names modules by path and
/// roots only, so adding a Python file keeps the other files' cached facts.
enum LayoutKey {
    static func of(_ layout: ProjectLayout, frontEnds: [any FrontEnd], reads: [String: ContentHash?]) -> ContentHash {
        var w = ByteWriter()
        w.strings(layout.roots)
        w.optionalString(layout.rootName)
        for (path, hash) in reads.sorted(by: { $0.key < $1.key }) {
            w.string(path)
            w.string(hash.map(\.description) ?? "absent")
        }
        for frontEnd in frontEnds where !(frontEnd is PythonLanguage) {
            // The language by its raw value: interpolated as a case, it cost a look through every conformance record
            // in the binary, on the one core a cached scan runs on after its walk.
            w.string("front end \(type(of: frontEnd)) \(frontEnd.language.rawValue)")
            w.strings(layout.paths.filter { frontEnd.handles(path: $0) })
        }
        return ContentHash.of(w)
    }
}

extension FactsEntry {
    /// The entry of a file parsed in this scan, its outcome encoded only as the cache is saved (its facts hash
    /// zero until then): for a scan with no facts from the last to compare it with (see
    /// `EncodedOutcome.unencoded`).
    init(unencoded outcome: Engine.Outcome, hash: ContentHash, stamp: FileStamp, racy: Bool, layout: ContentHash) {
        self.init(
            stamp: stamp, racy: racy, hash: hash, layout: layout, kind: EncodedOutcome.kind(of: outcome), outcome: .unencoded(outcome),
            factsHash: ContentHash(high: 0, low: 0))
    }

    /// The entry of a file parsed in this scan.
    init(parsed outcome: Engine.Outcome, hash: ContentHash, stamp: FileStamp, racy: Bool, layout: ContentHash) {
        let encoded = EncodedOutcome(outcome)
        self.init(
            stamp: stamp, racy: racy, hash: hash, layout: layout, kind: EncodedOutcome.kind(of: outcome), outcome: encoded,
            factsHash: encoded.hash)
    }
}

extension LoadedFile {
    /// Whether the file parsed into facts (not a syntax error, not passed over).
    var isParsedFacts: Bool {
        if let outcome {
            if case .facts = outcome { return true }
            return false
        }
        return entry?.kind == EncodedOutcome.factsKind
    }
}
