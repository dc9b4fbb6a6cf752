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
    /// A hash of every file's path and outcome (its facts, syntax error or notice), and of the compiled
    /// modules: the key of what is derived from the whole set. Only meaningful with a cache (without one, files
    /// keep no encoded outcome).
    var factsKey: ContentHash
    /// How many files the front end parsed, and how many came from the cache.
    var parsedFiles = 0
    var reusedFiles = 0

    /// The files' outcomes, decoding cached ones on `jobs` threads. An entry that does not decode is parsed
    /// again from the file.
    func outcomes(jobs: Int, kinds: Set<UInt8>? = nil) -> [Engine.Outcome] {
        concurrentCompactMap(files, jobs: jobs) { file -> Engine.Outcome? in
            if let outcome = file.outcome { return outcome }
            guard let entry = file.entry else { return nil }
            if let kinds, !kinds.contains(entry.kind) { return nil }
            if let decoded = try? entry.outcome.decode(kind: entry.kind) { return decoded }
            switch FileReader.read(file.absolutePath) {
            case .success(let bytes): return Engine.parse(bytes, path: file.path, readers: readers)
            case .failure(let failure): return .skipped(SkippedFile(path: file.path, reason: failure.reason))
            }
        }
    }

    /// Every file's outcome, decoded on `jobs` threads and sorted into facts, errors and skipped files (the
    /// walk's first); unlike the project, it holds no cache bytes.
    func decoded(jobs: Int) -> DecodedProject {
        let (files, errors, skipped) = split(outcomes(jobs: jobs))
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

    /// Writes the files' entries as the cache of `root`.
    func save(to cache: ScanCache, root: String) {
        FactsStore.save(files.compactMap { file in file.entry.map { (file.path, $0) } }, to: cache, root: root)
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
        let previousFacts = Locked([String: FactsEntry]())
        let readingCache = DispatchGroup()
        if let cache {
            DispatchQueue.global().async(group: readingCache) {
                let entries = FactsStore.load(from: cache, root: base.path)
                previousFacts.withLock { $0 = entries }
            }
        }
        let discovery = Discovery(
            root: root, include: policy.include.map(Glob.init), exclude: policy.exclude.map(Glob.init),
            maxFileSize: policy.maxFileSize, reads: { path in frontEnds.contains { $0.handles(path: path) } })
        let (found, skippedByWalk, compiled) = discovery.run()
        let naming = ModuleNaming(root: root, roots: policy.settings.roots)
        let compiledModules = compiled.map { path in
            // `pkg/speedups.cpython-312-x86_64-linux-gnu.so` is module `pkg.speedups`.
            let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
            let stem = path[slash...].prefix { $0 != "." }
            return naming.module(forPath: path[..<slash] + stem + ".py").name
        }
        let reads = Locked([String: ContentHash?]())
        let layout = ProjectLayout(
            paths: found.map(\.path), roots: policy.settings.roots, rootName: base.lastPathComponent,
            read: { path in
                let bytes = try? FileReader.read(base.appendingPathComponent(path).path).get()
                reads.withLock { $0[path] = bytes.map { ContentHash.of($0) } }
                return bytes
            })
        let readers = Readers(frontEnds: frontEnds, layout: layout)
        let layoutKey = LayoutKey.of(layout, frontEnds: frontEnds, reads: reads.withLock { $0 })
        readingCache.wait()
        let previous = previousFacts.withLock { entries in
            defer { entries = [:] }
            return entries
        }
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
            let old = previous[file.path].flatMap { $0.layout == layoutKey ? $0 : nil }
            if let old, old.stamp == file.stamp, !old.racy, !keepingBytes {
                return LoadedFile(path: file.path, absolutePath: file.absolutePath, entry: old, how: .unchanged)
            }
            let bytes: [UInt8]
            switch FileReader.read(file.absolutePath) {
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
            let outcome = parse(bytes, path: file.path, readers: readers)
            let entry = hash.map { hash in
                let encoded = EncodedOutcome(outcome)
                return FactsEntry(
                    stamp: file.stamp, racy: racy, hash: hash, layout: layoutKey, kind: EncodedOutcome.kind(of: outcome),
                    outcome: encoded, factsHash: encoded.hash)
            }
            return LoadedFile(
                path: file.path, absolutePath: file.absolutePath, entry: entry, outcome: outcome,
                bytes: keepingBytes ? bytes : nil, how: .parsed)
        }
        if monitor.isCancelled() { throw .cancelled }
        var key = ByteWriter(capacity: loaded.count * 64)
        key.fixed64(layoutKey.high)
        key.fixed64(layoutKey.low)
        for file in loaded {
            key.string(file.path)
            if let entry = file.entry {
                key.byte(entry.kind)
                key.fixed64(entry.factsHash.high)
                key.fixed64(entry.factsHash.low)
            } else {
                key.byte(0xFF)
            }
        }
        for module in compiledModules { key.string("compiled " + module) }
        let changed = loaded.contains { if case .unchanged = $0.how { false } else { true } }
        var project = LoadedProject(
            files: loaded, skippedByWalk: skippedByWalk, compiledModules: compiledModules, readers: readers,
            cacheIsStale: cache != nil && (changed || previous.count != loaded.count), factsKey: ContentHash.of(key))
        for file in project.files {
            switch file.how {
            case .unchanged, .sameContent: project.reusedFiles += 1
            case .parsed: project.parsedFiles += 1
            case .unreadable: break
            }
        }
        return project
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
            w.string("front end \(type(of: frontEnd)) \(frontEnd.language)")
            w.strings(layout.paths.filter { frontEnd.handles(path: $0) })
        }
        return ContentHash.of(w)
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
