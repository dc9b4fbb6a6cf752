import CanonCore
import CanonPolicy
import CanonPython
import Dispatch
import Foundation

/// One scan to run: the project, what to report, and the rules.
public struct ScanRequest: Sendable {
    /// The scan root: every file under it is indexed, and output paths are relative to it.
    public var root: URL
    /// Files or folders under the root whose findings are reported; empty reports every file.
    public var paths: [URL]
    public var policy: Policy
    public var rules: [ConfiguredRule]
    /// How many threads the scan works on (files read and parsed at once, the index and symbol table, rules
    /// run at once); at least 1.
    public var jobs: Int
    /// The front ends that read files, asked in order; a file none of them handles is not scanned.
    public var frontEnds: [any FrontEnd]
    /// Where facts and findings are kept between scans; nil scans without a cache.
    public var cache: ScanCache?
    /// Whether the process exits right after the scan, as the command-line tool does: the project's facts and
    /// index are then left for the system to reclaim, since freeing them object by object costs a tenth of a
    /// large scan. An embedder that scans more than once leaves this false.
    public var leavesMemoryToExit: Bool
    /// Whether the scan returns before its cache is written, the writes left running: the caller must call
    /// `ScanResult.waitForCache()` before it exits or scans the same root again. The command-line tool renders
    /// its report meanwhile, which it otherwise did on one core after the writes.
    public var writesCacheInBackground: Bool
    /// When set, the scan works out each fixable finding's own edits with it (from the index the rules read and
    /// the files' text, which it is given) into `ScanResult.edits`, and keeps them in the cache with the
    /// findings, so that a format that carries fixes (SARIF) costs no second pass over the project.
    public var editsOfFindings: EditsOfFindings?
    /// Whether findings get GitHub's line hash (`Finding.lineHash`), which only SARIF carries: working it out
    /// reads each file with findings up to its last one, a few percent of a large scan. Findings taken from the
    /// cache without one get it when this is set, and those with one lose it when it is not, so that what a scan
    /// returns does not depend on what the cache held.
    public var lineHashes: Bool

    /// Works out the edits that fix each of `findings` on its own, given the project's index and the text of
    /// its files by path; findings it cannot fix have none.
    public typealias EditsOfFindings = @Sendable (
        _ findings: [Finding], _ index: ProjectIndex, _ source: @escaping @Sendable (String) -> [UInt8]?
    ) -> [Finding: [TextEdit]]

    public init(
        root: URL, paths: [URL] = [], policy: Policy, rules: [ConfiguredRule],
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, frontEnds: [any FrontEnd] = Engine.defaultFrontEnds,
        cache: ScanCache? = nil, leavesMemoryToExit: Bool = false, writesCacheInBackground: Bool = false,
        editsOfFindings: EditsOfFindings? = nil, lineHashes: Bool = true
    ) {
        self.root = root
        self.paths = paths
        self.policy = policy
        self.rules = rules
        self.jobs = max(1, jobs)
        self.frontEnds = frontEnds.isEmpty ? Engine.defaultFrontEnds : frontEnds
        self.cache = cache
        self.leavesMemoryToExit = leavesMemoryToExit
        self.writesCacheInBackground = writesCacheInBackground
        self.editsOfFindings = editsOfFindings
        self.lineHashes = lineHashes
    }
}

/// What a scan found, sorted, so that output does not depend on thread count or directory order.
public struct ScanResult: Sendable {
    /// How many files were parsed (with or without errors).
    public var fileCount: Int
    /// The findings, sorted, each with its fingerprint and (when the request asked for them) line hash.
    public var findings: [Finding]
    /// The findings an inline suppression silenced, sorted, stamped as `findings` are.
    public var suppressed: [Finding]
    public var errors: [FileError]
    public var skipped: [SkippedFile]
    /// The rules that ran.
    public var rules: [ConfiguredRule]
    /// What the scan took from its cache.
    public var cacheUsage = CacheUsage()
    /// The edits that fix each fixable finding on its own, when the request asked for them
    /// (`ScanRequest.editsOfFindings`).
    public var edits: [Finding: [TextEdit]] = [:]
    /// The cache writes still running (see `ScanRequest.writesCacheInBackground`).
    var cacheWrites: DispatchGroup?

    /// Takes the line hash off every finding (and the findings that key `edits`).
    mutating func dropLineHashes() {
        func dropped(_ finding: Finding) -> Finding {
            var plain = finding
            plain.lineHash = nil
            return plain
        }
        guard findings.contains(where: { $0.lineHash != nil }) || suppressed.contains(where: { $0.lineHash != nil }) else { return }
        findings = findings.map(dropped)
        suppressed = suppressed.map(dropped)
        edits = Dictionary(uniqueKeysWithValues: edits.map { (dropped($0.key), $0.value) })
    }

    /// Returns when the cache writes the scan left running have finished (at once if it left none).
    public func waitForCache() { cacheWrites?.wait() }

    public init(
        fileCount: Int, findings: [Finding], suppressed: [Finding] = [], errors: [FileError], skipped: [SkippedFile],
        rules: [ConfiguredRule]
    ) {
        self.fileCount = fileCount
        self.findings = findings
        self.suppressed = suppressed
        self.errors = errors
        self.skipped = skipped
        self.rules = rules
    }
}

/// What a scan took from its cache and what it had to work out again.
public struct CacheUsage: Sendable, Hashable {
    /// Files read and parsed by a front end.
    public var filesParsed = 0
    /// Files whose facts came from the cache (unchanged stamp, or unchanged content).
    public var filesReused = 0
    /// Whether the findings came from the cache, the rules not run at all.
    public var findingsReused = false
    /// When only some files' facts changed since the last scan: how many files the rules that follow imports
    /// judged again (the edited files and those that reach them), keeping their last findings in the others.
    /// Nil when every rule judged every file.
    public var filesJudgedAgain: Int?
    /// When only some files' facts changed since the last scan: the rules that kept all their last findings
    /// and did not run, what they read of each edited file being as it was (`Detector.factsHash`).
    public var rulesKept: Set<String>

    public init(
        filesParsed: Int = 0, filesReused: Int = 0, findingsReused: Bool = false, filesJudgedAgain: Int? = nil,
        rulesKept: Set<String> = []
    ) {
        self.filesParsed = filesParsed
        self.filesReused = filesReused
        self.findingsReused = findingsReused
        self.filesJudgedAgain = filesJudgedAgain
        self.rulesKept = rulesKept
    }
}

/// The facts of a set of files, for `canon facts` and for tools built on Canon.
public struct FactsResult: Sendable {
    public var files: [FileFacts]
    public var errors: [FileError]
    public var skipped: [SkippedFile]
    /// The module names of compiled modules found beside the sources (`.pyx`, `.so`, `.pyd`).
    public var compiledModules: [String] = []
}

/// Watches a long scan: told how many files are parsed as it goes, and asked whether to stop.
public struct ScanMonitor: Sendable {
    /// Called from worker threads after each file, with the files done and the total; one call at a time, with
    /// `done` rising by one each call, so keep it quick.
    public var progress: @Sendable (_ done: Int, _ total: Int) -> Void
    /// Polled between files; when it answers true the scan stops with `EngineError.cancelled`.
    public var isCancelled: @Sendable () -> Bool

    public init(
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in },
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) {
        self.progress = progress
        self.isCancelled = isCancelled
    }
}

/// Runs scans: discovery, parallel parsing, indexing, detectors, sorting.
public enum Engine {
    /// The front ends used when a caller names none: Python only, so that an embedder scanning Python never
    /// builds a parser for another language. The `Canon` module's registry adds Swift.
    public static let defaultFrontEnds: [any FrontEnd] = [PythonLanguage()]

    /// Scans the request's root and reports findings in its paths.
    ///
    /// With a cache, unchanged files are not read again, and when no file changed and the rules and reported
    /// paths are the same, the findings of the last scan are used as they are. Findings are fingerprinted
    /// from the files' text; a file whose facts came from the cache is read for that only when it has
    /// findings.
    public static func scan(_ request: ScanRequest, monitor: ScanMonitor = ScanMonitor()) throws(EngineError) -> ScanResult {
        let reported = try reportedPaths(request.paths, root: request.root)
        let policyPaths = ProjectSnapshot.policyPaths(of: request.policy, root: request.root)
        // The last scan's findings are read, and all of their key but the facts worked out, while the project
        // loads.
        let early = DispatchGroup()
        let lastFindings = Locked<(key: ContentHash, stored: FindingsStore.Stored)?>(nil)
        let described = Locked("")
        if let cache = request.cache {
            DispatchQueue.global().async(group: early) {
                let loaded = FindingsStore.load(from: cache)
                lastFindings.withLock { $0 = loaded }
            }
            let (rules, settings) = (request.rules, request.policy.settings)
            DispatchQueue.global().async(group: early) {
                let text = FindingsKey.describe(rules: rules, settings: settings, policyPaths: policyPaths, reported: reported)
                described.withLock { $0 = text }
            }
        }
        let project = try load(
            root: request.root, policy: request.policy, frontEnds: request.frontEnds, jobs: request.jobs,
            cache: request.cache, monitor: monitor)
        early.wait()
        let rootPath = request.root.standardizedFileURL.resolvingSymlinksInPath().path
        let saving = DispatchGroup()
        // Handed over in a box the save empties, so that its copy is gone by the time the group is left; started
        // again, the save finds it empty.
        let pendingSave = request.cache != nil && project.cacheIsStale ? Locked<LoadedProject?>(project) : nil
        // What the save works out of a cold scan's facts (see `LoadedProject.factsKnown`), for the findings' key.
        let (factsKnown, shapeKey) = (project.factsKnown, project.shapeKey)
        let savedHashes = Locked<[ContentHash]?>(nil)
        let factsSaved = DispatchGroup()
        let startSaving: @Sendable () -> Void = { [cache = request.cache] in
            guard let cache, let pendingSave else { return }
            factsSaved.enter()
            DispatchQueue.global().async(group: saving) {
                defer { factsSaved.leave() }
                let held = pendingSave.withLock { value in
                    defer { value = nil }
                    return value
                }
                guard let hashes = held?.save(to: cache, root: rootPath) else { return }
                savedHashes.withLock { $0 = hashes }
            }
        }
        // With the writes left running, the caller waits for them (see `ScanResult.waitForCache`).
        defer { if !request.writesCacheInBackground { saving.wait() } }
        func write(_ work: @escaping @Sendable () -> Void) {
            if request.writesCacheInBackground { DispatchQueue.global().async(group: saving, execute: work) } else { work() }
        }
        let describedText = described.withLock { $0 }
        // The findings' key and basis, from the files' facts hashes.
        @Sendable func findingsKeys(facts hashes: [ContentHash]) -> (key: ContentHash, basis: FindingsStore.Basis) {
            (
                FindingsKey.of(facts: LoadedProject.factsKey(shape: shapeKey, hashes: hashes), described: describedText),
                FindingsStore.Basis(described: ContentHash.of(describedText), shape: shapeKey, facts: hashes)
            )
        }
        // Without the facts hashes (a cold scan), the last findings are not compared, and the key of these is worked
        // out as they are saved.
        let known = request.cache != nil && factsKnown ? findingsKeys(facts: project.factsHashes) : nil
        let (findingsKey, basis) = (known?.key, known?.basis)
        var usage = CacheUsage(filesParsed: project.parsedFiles, filesReused: project.reusedFiles)
        var result: ScanResult
        let last = lastFindings.withLock { value in
            defer { value = nil }
            return value
        }
        // After an edit that changed only some files' facts, rules that follow imports judge again only the files
        // the edit can reach, and keep the last findings elsewhere.
        var edited: Set<String>?
        if let findingsKey, let last, last.key != findingsKey, let basis, let earlier = last.stored.basis {
            edited = basis.edited(since: earlier, paths: project.files.map(\.path))
        }
        // After such an edit, the cache is saved once the check has worked out which rules read nothing the edit
        // changed (`LastCheck.afterHashing`), on the core it leaves idle while it works out the edit's reach:
        // saved at once, it held a core from the decoding and indexing.
        if edited == nil { startSaving() }
        if let cache = request.cache, let findingsKey, let last, last.key == findingsKey {
            let cached = last.stored
            let facts = project.result(jobs: request.jobs, decodingFacts: false)
            func isReported(_ path: String) -> Bool {
                reported.map { $0.contains { $0.isEmpty || path == $0 || path.hasPrefix($0 + "/") } } ?? true
            }
            let current = ContentHashes(project: project, root: request.root)
            var stored = refingerprinted(cached, current: current, jobs: request.jobs, lineHashes: request.lineHashes)
            stored.basis = basis
            stored.memo = cached.memo
            if let editsOfFindings = request.editsOfFindings {
                stored.addEdits(with: editsOfFindings, root: request.root) {
                    let facts = project.result(jobs: request.jobs)
                    return ProjectIndex(files: facts.files, compiledModules: facts.compiledModules, jobs: request.jobs)
                }
            }
            if stored != cached { write { [stored] in FindingsStore.save(stored, to: cache, key: findingsKey) } }
            result = ScanResult(
                fileCount: project.parsedCount, findings: stored.findings, suppressed: stored.suppressed,
                errors: facts.errors.filter { isReported($0.path) }, skipped: facts.skipped, rules: request.rules)
            if request.editsOfFindings != nil { result.edits = stored.edits }
            usage.findingsReused = true
        } else {
            let contentHashes = request.cache.map { _ in ContentHashes(project: project, root: request.root) }
            // The last findings are sorted by file, and after an edit stripped of their stamps, on another thread
            // meanwhile the facts are decoded and indexed.
            let stamping = DispatchGroup()
            let fromLast = Locked<(stamped: [String: [Finding]], unstamped: [Finding])>(([:], []))
            if let contentHashes, let stored = last?.stored {
                let stripping = edited != nil
                DispatchQueue.global().async(group: stamping) {
                    let stamped = Self.stamped(stored, unchangedIn: contentHashes)
                    let unstamped = stripping ? (stored.findings + stored.suppressed).map(\.unstamped) + stored.memo.superseded : []
                    fromLast.withLock { $0 = (stamped, unstamped) }
                }
            }
            // The edited files' facts from before the edit, for telling which rules read nothing it changed; not
            // for an edit of many files (a branch checked out), which few rules would read nothing of.
            let earlier = edited.flatMap { $0.count <= 64 ? project.earlierFacts(of: $0) : nil } ?? [:]
            // After an edit, the cached facts' details are left undecoded until a rule reads them: the rules that
            // run judge a few files, and decoding every file's took a third of such a scan.
            let decoded = project.decoded(jobs: request.jobs, deferringDetails: edited != nil)
            // The project's encoded facts (and the last cache file, which cached ones are slices of, unless their
            // details are deferred) are let go of on another thread, or by the save that reads them when it is
            // done: the index is built meanwhile (waiting for the save held a core idle; freeing them here, a
            // hundredth of a scan after an edit), and the facts are freed long before the rules' memory peaks.
            let leaving = Locked<LoadedProject?>(consume project)
            DispatchQueue.global().async { leaving.withLock { $0 = nil } }
            let snapshot = ProjectSnapshot(
                decoded: decoded, root: request.root, settings: request.policy.settings, policyPaths: policyPaths, jobs: request.jobs,
                buildingSymbolTable: request.rules.contains(where: \.readsSymbolTable), deferringSymbolImports: edited != nil)
            stamping.wait()
            let (stamped, unstamped) = fromLast.withLock { value in
                defer { value = ([:], []) }
                return value
            }
            let lastCheck = edited.flatMap { edited in
                last.map { _ in LastCheck(edited: edited, findings: unstamped, earlier: earlier, afterHashing: startSaving) }
            }
            let memo = request.cache.map { _ in Locked(CheckMemo()) }
            result = snapshot.check(
                request.rules, reporting: reported, jobs: request.jobs, stamped: stamped, lineHashes: request.lineHashes,
                last: lastCheck, memo: memo)
            if edited != nil { startSaving() }
            usage.filesJudgedAgain = lastCheck?.reach?.count
            usage.rulesKept = lastCheck?.rulesKept ?? []
            var stored = FindingsStore.Stored(
                findings: result.findings, suppressed: result.suppressed, fingerprintedFrom: [:], basis: basis,
                memo: memo?.withLock { $0 } ?? CheckMemo())
            if let editsOfFindings = request.editsOfFindings {
                stored.addEdits(with: editsOfFindings, root: request.root) { snapshot.projectIndex }
                result.edits = stored.edits
            }
            if request.leavesMemoryToExit { keepUntilExit(snapshot) }
            if let cache = request.cache, let contentHashes, findingsKey != nil || !factsKnown {
                write { [stored] in
                    var stored = stored
                    let key: ContentHash
                    if let findingsKey {
                        key = findingsKey
                    } else {
                        // A cold scan's: the facts hashes are worked out as the facts are saved.
                        factsSaved.wait()
                        guard let hashes = savedHashes.withLock({ $0 }) else { return }
                        (key, stored.basis) = findingsKeys(facts: hashes)
                    }
                    stored.fingerprintedFrom = contentHashes.of(Set((stored.findings + stored.suppressed).map(\.location.path)))
                    FindingsStore.save(stored, to: cache, key: key)
                }
            }
        }
        // Findings taken from the cache keep the line hashes an earlier scan worked out, which the cache keeps
        // for the next scan that asks: a scan that did not ask gets none, as without a cache.
        if !request.lineHashes { result.dropLineHashes() }
        result.cacheUsage = usage
        if request.writesCacheInBackground { result.cacheWrites = saving }
        return result
    }

    /// The content hashes of a scan's files: the project's own, and, for other files findings point into (the
    /// policy's), the hash of what is on disk now.
    struct ContentHashes {
        let project: [String: ContentHash]
        let source: @Sendable (String) -> [UInt8]?

        init(project: LoadedProject, root: URL) {
            self.project = project.contentHashes
            self.source = diskSource(root: root)
        }

        /// The hash of each of `paths`; a file that cannot be read has none.
        func of(_ paths: Set<String>) -> [String: ContentHash] {
            var hashes: [String: ContentHash] = [:]
            for path in paths {
                if let hash = project[path] ?? source(path).map({ ContentHash.of($0) }) { hashes[path] = hash }
            }
            return hashes
        }
    }

    /// The last scan's findings (stamped; kept and suppressed together, sorted) in each project file whose text
    /// is the same now as when they were fingerprinted: if this scan finds the same in such a file, their
    /// stamps are the same too.
    static func stamped(_ last: FindingsStore.Stored, unchangedIn current: ContentHashes) -> [String: [Finding]] {
        var byPath: [String: [Finding]] = [:]
        for finding in last.findings + last.suppressed {
            let path = finding.location.path
            guard let hash = current.project[path], last.fingerprintedFrom[path] == hash else { continue }
            byPath[path, default: []].append(finding)
        }
        for path in byPath.keys { byPath[path]?.sort() }
        return byPath
    }

    /// Cached findings with those in files whose text changed since they were fingerprinted (their facts did
    /// not, or the findings would not have been reused) fingerprinted again from the files as they are now; and,
    /// when `lineHashes` is set, those of files where a finding has no line hash (a scan that did not ask for
    /// them fingerprinted it) fingerprinted again with them.
    static func refingerprinted(
        _ cached: FindingsStore.Stored, current: ContentHashes, jobs: Int, lineHashes: Bool
    ) -> FindingsStore.Stored {
        let now = current.of(Set(cached.fingerprintedFrom.keys))
        var changed = Set(cached.fingerprintedFrom.keys.filter { now[$0] != cached.fingerprintedFrom[$0] })
        if lineHashes {
            for findings in [cached.findings, cached.suppressed] {
                for finding in findings where finding.lineHash == nil { changed.insert(finding.location.path) }
            }
        }
        guard !changed.isEmpty else { return cached }
        func unstamped(_ findings: [Finding]) -> [Finding] {
            findings.filter { changed.contains($0.location.path) }.map(\.unstamped)
        }
        let stamped = fingerprint(
            kept: unstamped(cached.findings), suppressed: unstamped(cached.suppressed), jobs: jobs, source: current.source,
            lineHashes: lineHashes)
        // Edits are keyed by stamped findings and worked out from the text: those of these files are worked out
        // again if asked for.
        return FindingsStore.Stored(
            findings: (cached.findings.filter { !changed.contains($0.location.path) } + stamped.findings).sorted(),
            suppressed: (cached.suppressed.filter { !changed.contains($0.location.path) } + stamped.suppressed).sorted(),
            fingerprintedFrom: now, edits: cached.edits.filter { !changed.contains($0.key.location.path) },
            editedPaths: cached.editedPaths.subtracting(changed))
    }

    /// Scans files given in memory (path relative to a virtual root, and contents), as examples and editors
    /// need. `rootName` names the root folder (a Python package when the sources hold an `__init__.py` at the
    /// root).
    public static func scan(
        sources: [(path: String, contents: [UInt8])], rules: [ConfiguredRule], settings: ProjectSettings = ProjectSettings(),
        rootName: String? = nil, frontEnds: [any FrontEnd] = defaultFrontEnds
    ) -> ScanResult {
        ProjectSnapshot(sources: sources, settings: settings, rootName: rootName, frontEnds: frontEnds)
            .check(rules, reporting: nil, jobs: 1)
    }

    /// Parses files given in memory and indexes them, for tools that read the index rather than run rules.
    public static func index(
        sources: [(path: String, contents: [UInt8])], settings: ProjectSettings = ProjectSettings(), rootName: String? = nil,
        frontEnds: [any FrontEnd] = defaultFrontEnds
    ) -> (facts: FactsResult, index: ProjectIndex) {
        let project = ProjectSnapshot(sources: sources, settings: settings, rootName: rootName, frontEnds: frontEnds)
        return (project.facts, project.projectIndex)
    }

    /// Discovers and parses every file under `root` that the policy includes and a front end reads, reusing
    /// the cache's facts of unchanged files when a cache is given.
    public static func collectFacts(
        root: URL, policy: Policy, jobs: Int, frontEnds: [any FrontEnd] = defaultFrontEnds, cache: ScanCache? = nil
    ) -> FactsResult {
        // Without a monitor that cancels, loading does not throw.
        guard let project = try? load(root: root, policy: policy, frontEnds: frontEnds, jobs: jobs, cache: cache) else {
            return FactsResult(files: [], errors: [], skipped: [])
        }
        if let cache, project.cacheIsStale {
            project.save(to: cache, root: root.standardizedFileURL.resolvingSymlinksInPath().path)
        }
        return project.result(jobs: jobs)
    }

    /// Reads and parses every file the policy includes under `root` that a front end reads, in path order,
    /// keeping each file's bytes; also returns the readers, so one file can be parsed again later.
    static func load(
        root: URL, policy: Policy, frontEnds: [any FrontEnd], jobs: Int, monitor: ScanMonitor
    ) throws(EngineError) -> (loaded: [(outcome: Outcome, bytes: [UInt8]?)], compiledModules: [String], readers: Readers) {
        let project = try load(
            root: root, policy: policy, frontEnds: frontEnds, jobs: jobs, cache: nil, keepingBytes: true, monitor: monitor)
        let loaded = project.skippedByWalk.map { (outcome: Outcome.skipped($0), bytes: [UInt8]?.none) }
            + project.files.compactMap { file in file.outcome.map { (outcome: $0, bytes: file.bytes) } }
        return (loaded, project.compiledModules, project.readers)
    }

    /// The paths under `root` whose findings are reported, relative to it; nil for the whole root.
    public static func reportedPaths(_ paths: [URL], root: URL) throws(EngineError) -> [String]? {
        var relative: [String] = []
        for path in paths {
            guard FileManager.default.fileExists(atPath: path.path) else { throw .pathNotFound(path.path) }
            guard let inside = ScanRoot.relativePath(of: path, to: root) else {
                throw .pathOutsideRoot(path: path.path, root: root.path)
            }
            if inside.isEmpty { return nil }
            relative.append(inside)
        }
        return relative.isEmpty ? nil : relative
    }

    /// What a check leaves for the next one, for keeping findings after an edit (see `LastCheck`).
    public struct CheckMemo: Sendable, Equatable {
        /// The findings that a superseding rule's finding at the same spot dropped (`dropSuperseded`), without
        /// fingerprints: a rule that keeps its findings after an edit keeps these too, and they come back when
        /// the superseding finding goes.
        public var superseded: [Finding] = []

        public init(superseded: [Finding] = []) {
            self.superseded = superseded
        }
    }

    /// The last check of a project, for checking it again after some of its files were edited: the files whose
    /// facts changed since, their facts then, and the findings (before suppressions and supersession, without
    /// stamps) that check reported.
    ///
    /// A rule whose facts hash of each edited file is as it was keeps all its last findings without running
    /// (see `Engine.keptAfterEdit`). Otherwise the check works out the edit's reach in its index
    /// (`ProjectIndex.filesReaching`): a rule that `judgesThroughImports` is run on those files only, and keeps
    /// its last findings in every other file, which reaches no edited file through its imports and so judges
    /// the same as before; a rule may name more files to judge (`Detector.filesToJudge`). Every other rule
    /// judges the whole project again; so does every rule when the reach cannot be told (an edited Swift file).
    /// The last check must have had the same rules, settings and reported paths, and the same files, but for
    /// the edited ones' facts.
    public struct LastCheck: Sendable {
        /// The files whose facts changed since the last check.
        public var edited: Set<String>
        /// The findings of the last check before suppressions were applied and superseding rules dropped any,
        /// without fingerprints or line hashes.
        public var findings: [Finding]
        /// The facts the edited files had at the last check, by path: a rule whose facts hash of each edited file
        /// is as it was keeps all its last findings, without running (see `Detector.factsHash`).
        public var earlier: [String: FileFacts]
        /// Work the check starts on the thread that works out which rules read nothing the edit changed, once it
        /// has (`rulesAlike`): the scan saves the cache then, as the reach, worked out meanwhile, leaves a core
        /// idle, where saving at once held that thread back.
        public var afterHashing: (@Sendable () -> Void)?
        /// The reach and the rules kept whole that the check worked out, for its caller to read after it (shared
        /// by copies).
        private let worked = Locked<(reach: Set<String>?, kept: Set<String>)>((nil, []))

        public init(
            edited: Set<String>, findings: [Finding], earlier: [String: FileFacts] = [:], afterHashing: (@Sendable () -> Void)? = nil
        ) {
            self.edited = edited
            self.findings = findings
            self.earlier = earlier
            self.afterHashing = afterHashing
        }

        /// The edited files and those that reach them, once a check with this value has worked them out; nil
        /// before, or when it could not, or no rule kept a finding (every rule judged every file).
        public var reach: Set<String>? { worked.withLock { $0.reach } }

        /// The rules that kept all their last findings without running, once a check with this value has
        /// worked them out.
        public var rulesKept: Set<String> { worked.withLock { $0.kept } }

        fileprivate func record(_ reach: Set<String>?, kept: Set<String>) { worked.withLock { $0 = (reach, kept) } }
    }

    /// Runs `rules` over an index already built, sorted. When a rule reads the allowlist audit, the audit of
    /// every rule's allowlist entries is worked out first and put in the context. With `last`, a rule judges
    /// only the files its `filesToJudge` names after the edit (for one that `judgesThroughImports`, the files the
    /// edit reaches), and keeps its last findings elsewhere; a rule that reads nothing the edit changed keeps all
    /// its findings and does not run (see `keptAfterEdit`). With `memo`, the findings superseding rules dropped
    /// are put there, for the next check.
    public static func run(
        _ rules: [ConfiguredRule], on context: DetectionContext, jobs: Int = 1, last: LastCheck? = nil,
        memo record: Locked<CheckMemo>? = nil
    ) -> [Finding] {
        var context = context
        if rules.contains(where: \.readsAllowlistAudit) {
            let audited = context
            context.unusedAllowlistEntries = parallelMap(rules, jobs: jobs) { $0.unusedAllowlistEntries(in: audited) }
                .flatMap { $0 }
        }
        let ready = context
        // What rules read whenever they run is built on another thread meanwhile (see `Detector.preparedValues`),
        // each value once; the group is waited for, so that no build outlives the run. After an edit whose reach
        // is known, none: the rules that run judge a few files, and build what those need when they ask.
        let preparing = DispatchGroup()
        var seen: Set<ObjectIdentifier> = []
        func prepare(_ rules: [ConfiguredRule]) {
            guard jobs > 1 else { return }
            for type in rules.flatMap(\.preparedValues) where seen.insert(ObjectIdentifier(type)).inserted {
                DispatchQueue.global().async(group: preparing) { ready.prepare(type) }
            }
        }
        if last == nil { prepare(rules) }
        defer { preparing.wait() }
        // The symbol table is built on first use; when a rule reads it, it is built first, on every core (most
        // rules read it through the names they resolve, and a thread waiting for it would hold a core).
        if rules.contains(where: \.readsSymbolTable) { _ = ready.index.symbols }
        // The edit's reach is worked out here, after the symbol table it reads; meanwhile, on another thread, which
        // rules read nothing the edit changed (the facts hashes of the edited files, which read what is derived
        // from the index, such as the project's modules).
        var judged: [String: Set<String>] = [:]
        var unchanged: Set<String> = []
        let alike = Locked<Set<String>>([])
        let hashing = DispatchGroup()
        defer { hashing.wait() }
        if let last {
            let work: @Sendable () -> Void = {
                let found = rulesAlike(rules, last: last, in: ready)
                alike.withLock { $0 = found }
                last.afterHashing?()
            }
            if jobs > 1 { DispatchQueue.global().async(group: hashing, execute: work) } else { work() }
        }
        if let last, let reach = ready.index.filesReaching(last.edited) {
            hashing.wait()
            unchanged = keptAfterEdit(rules, alike: alike.withLock { $0 }, last: last, reach: reach, in: ready)
            judged = filesToJudge(rules.filter { !unchanged.contains($0.description.id) }, reach: reach, in: ready)
            last.record(judged.isEmpty && unchanged.isEmpty ? nil : reach, kept: unchanged)
        } else if last != nil {
            prepare(rules)
        }
        // After an edit, the symbol imports were deferred (`ProjectIndex.init`): when a rule that reads the table
        // runs over every file, they are all worked out now, on every core, rather than by the first such rule
        // to ask while the others wait for it.
        if last != nil, rules.contains(where: { $0.readsSymbolTable && !unchanged.contains($0.description.id) && judged[$0.description.id] == nil }) {
            ready.index.symbols.resolveDeferredImportsAhead()
        }
        var kept: [Finding] = []
        if let last, !judged.isEmpty || !unchanged.isEmpty {
            kept = last.findings.filter { finding in
                unchanged.contains(finding.rule) || (judged[finding.rule].map { !$0.contains(finding.location.path) } ?? false)
            }
        }
        let contexts = Dictionary(uniqueKeysWithValues: judged.map { rule, files in
            (rule, ready.reporting(ready.index.reportedPaths.map { $0.intersection(files) } ?? files))
        })
        let running = rules.filter { !unchanged.contains($0.description.id) }
        let found = parallelMap(running, jobs: jobs) { rule in
            rule.findings(in: contexts[rule.description.id] ?? ready)
        }.flatMap { $0 }
        let (findings, superseded) = partitionSuperseded(found + kept, rules: rules.map(\.description))
        record?.withLock { $0 = CheckMemo(superseded: superseded.sorted()) }
        return findings.sorted()
    }

    /// The rules that report after the edit `last` describes what they reported before, and need not run: those
    /// whose facts hash (`Detector.factsHash`) of every edited file is as it was (`alike`, see `rulesAlike`). A
    /// rule that `readsResolutions` also needs an edit that reaches no other file (`reach`, the edited files and
    /// those whose names may now resolve differently, is the edited files alone) and no module outside it that
    /// star-imports one in it (`ProjectIndex.starImporters`): names read through a star import leave no chain
    /// behind. A rule kept so keeps the findings a superseding finding dropped too (`CheckMemo.superseded`),
    /// which come back when that finding goes.
    static func keptAfterEdit(
        _ rules: [ConfiguredRule], alike: Set<String>, last: LastCheck, reach: Set<String>, in context: DetectionContext
    ) -> Set<String> {
        var resolutionsStay: Bool?
        var kept: Set<String> = []
        for rule in rules where alike.contains(rule.description.id) {
            if rule.readsResolutions {
                if resolutionsStay == nil {
                    resolutionsStay = reach.count == last.edited.count && context.index.starImporters(of: reach).isEmpty
                }
                guard resolutionsStay == true else { continue }
            }
            kept.insert(rule.description.id)
        }
        return kept
    }

    /// The ids of `rules` (but those that review findings) whose facts hash (`Detector.factsHash`) of every
    /// edited file is as it was; none when an edited file's facts then or now are unknown.
    static func rulesAlike(_ rules: [ConfiguredRule], last: LastCheck, in context: DetectionContext) -> Set<String> {
        var pairs: [(old: FileFacts, new: FileFacts)] = []
        for path in last.edited {
            guard let old = last.earlier[path], let new = context.index.file(atPath: path) else { return [] }
            pairs.append((old, new))
        }
        var alike: Set<String> = []
        for rule in rules where !rule.reviewsFindings {
            let same = pairs.allSatisfy { pair in
                guard let before = rule.factsHash(of: pair.old, in: context) else { return false }
                return rule.factsHash(of: pair.new, in: context) == before
            }
            if same { alike.insert(rule.description.id) }
        }
        return alike
    }

    /// The files each of `rules` judges again after an edit with that `reach` (`ConfiguredRule.filesToJudge`),
    /// by rule id; a rule that judges every file again is not listed. A superseded rule needs no more: the last
    /// findings it keeps include those a superseding finding dropped (`CheckMemo.superseded`), which come back
    /// when that finding goes.
    static func filesToJudge(_ rules: [ConfiguredRule], reach: Set<String>, in context: DetectionContext) -> [String: Set<String>] {
        var judged: [String: Set<String>] = [:]
        for rule in rules {
            if let files = rule.filesToJudge(reach: reach, in: context) { judged[rule.description.id] = files }
        }
        return judged
    }

    /// Drops each finding of a rule B when a rule that supersedes B reported at the same path and range, so
    /// one problem gets one finding: the most specific one.
    public static func dropSuperseded(_ findings: [Finding], rules: [RuleDescription]) -> [Finding] {
        partitionSuperseded(findings, rules: rules).kept
    }

    /// `findings` split into those `dropSuperseded` keeps and those it drops.
    static func partitionSuperseded(_ findings: [Finding], rules: [RuleDescription]) -> (kept: [Finding], dropped: [Finding]) {
        var superseded: [String: [String]] = [:]
        for rule in rules {
            for victim in rule.supersedes { superseded[victim, default: []].append(rule.id) }
        }
        guard !superseded.isEmpty else { return (findings, []) }
        let spots = Set(findings.map(FindingSpot.init))
        var (kept, dropped): ([Finding], [Finding]) = ([], [])
        for finding in findings {
            let isSuperseded = (superseded[finding.rule] ?? []).contains { spots.contains(FindingSpot(rule: $0, location: finding.location)) }
            if isSuperseded { dropped.append(finding) } else { kept.append(finding) }
        }
        return (kept, dropped)
    }

    /// Runs `rules` like `run`, then applies the inline suppressions of the project's files: the findings no
    /// suppression silences, and those one does, both sorted. Rules that `reviewsFindings` run last, reading
    /// every other rule's findings from before suppression; their own findings are then suppressed the same way.
    /// With `last`, rules that `judgesThroughImports` keep their last findings outside its reach, and rules
    /// that read nothing the edit changed keep them all (see `run`); the reviewing rules judge every file again,
    /// against the findings of this check. With `memo`, what the next check needs is put there (see `run`).
    public static func check(
        _ rules: [ConfiguredRule], on context: DetectionContext, jobs: Int = 1, last: LastCheck? = nil,
        memo: Locked<CheckMemo>? = nil
    ) -> (findings: [Finding], suppressed: [Finding]) {
        let reviewers = rules.filter(\.reviewsFindings)
        let others = rules.filter { !$0.reviewsFindings }
        let index = context.index
        let table = SuppressionMatching.table(index.reportedPaths.map { $0.sorted().compactMap(index.file(atPath:)) } ?? index.files)
        let first = run(others, on: context, jobs: jobs, last: last, memo: memo)
        var (kept, suppressed) = SuppressionMatching.apply(first, suppressions: table)
        guard !reviewers.isEmpty else { return (kept, suppressed) }
        var reviewing = context
        reviewing.reviewedFindings = first
        reviewing.reviewedRules = Set(others.flatMap { [$0.description.id, $0.description.code] })
        let (keptReviews, suppressedReviews) = SuppressionMatching.apply(
            run(reviewers, on: reviewing, jobs: jobs), suppressions: table)
        kept = (kept + keptReviews).sorted()
        suppressed = (suppressed + suppressedReviews).sorted()
        return (kept, suppressed)
    }
}

