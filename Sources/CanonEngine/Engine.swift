import CanonCore
import CanonPolicy
import CanonPython
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
#endif

/// One scan to run: the project, what to report, and the rules.
public struct ScanRequest: Sendable {
    /// The scan root: every file under it is indexed, and output paths are relative to it.
    public var root: URL
    /// Files or folders under the root whose findings are reported; empty reports every file.
    public var paths: [URL]
    public var policy: Policy
    public var rules: [ConfiguredRule]
    /// How many files are read and parsed at once; at least 1.
    public var jobs: Int
    /// The front ends that read files, asked in order; a file none of them handles is not scanned.
    public var frontEnds: [any FrontEnd]

    public init(
        root: URL, paths: [URL] = [], policy: Policy, rules: [ConfiguredRule],
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, frontEnds: [any FrontEnd] = Engine.defaultFrontEnds
    ) {
        self.root = root
        self.paths = paths
        self.policy = policy
        self.rules = rules
        self.jobs = max(1, jobs)
        self.frontEnds = frontEnds.isEmpty ? Engine.defaultFrontEnds : frontEnds
    }
}

/// What a scan found, sorted, so that output does not depend on thread count or directory order.
public struct ScanResult: Sendable {
    /// How many files were parsed (with or without errors).
    public var fileCount: Int
    /// The findings, sorted, each with its fingerprint and line hash.
    public var findings: [Finding]
    /// The findings an inline suppression silenced, sorted, each with its fingerprint and line hash.
    public var suppressed: [Finding]
    public var errors: [FileError]
    public var skipped: [SkippedFile]
    /// The rules that ran.
    public var rules: [ConfiguredRule]

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
    /// Called from worker threads after each file, with the files done and the total.
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
    public static func scan(_ request: ScanRequest, monitor: ScanMonitor = ScanMonitor()) throws(EngineError) -> ScanResult {
        let reported = try reportedPaths(request.paths, root: request.root)
        let project = try ProjectSnapshot.load(
            root: request.root, policy: request.policy, jobs: request.jobs, frontEnds: request.frontEnds, monitor: monitor)
        return project.check(request.rules, reporting: reported, jobs: request.jobs)
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

    /// Discovers and parses every file under `root` that the policy includes and a front end reads.
    public static func collectFacts(
        root: URL, policy: Policy, jobs: Int, frontEnds: [any FrontEnd] = defaultFrontEnds
    ) -> FactsResult {
        // Without a monitor that cancels, loading does not throw.
        let project = try? ProjectSnapshot.load(root: root, policy: policy, jobs: jobs, frontEnds: frontEnds)
        return project?.facts ?? FactsResult(files: [], errors: [], skipped: [])
    }

    /// Reads and parses every file the policy includes under `root` that a front end reads, in path order,
    /// keeping each file's bytes; also returns the readers, so one file can be parsed again later.
    static func load(
        root: URL, policy: Policy, frontEnds: [any FrontEnd], jobs: Int, monitor: ScanMonitor
    ) throws(EngineError) -> (loaded: [(outcome: Outcome, bytes: [UInt8]?)], compiledModules: [String], readers: Readers) {
        let frontEnds = frontEnds.isEmpty ? defaultFrontEnds : frontEnds
        let discovery = Discovery(
            root: root, include: policy.include.map(Glob.init), exclude: policy.exclude.map(Glob.init),
            maxFileSize: policy.maxFileSize, reads: { path in frontEnds.contains { $0.handles(path: path) } })
        let (found, skippedByWalk, compiled) = discovery.run()
        let naming = ModuleNaming(root: root, roots: policy.settings.roots)
        let base = root.standardizedFileURL.resolvingSymlinksInPath()
        let layout = ProjectLayout(
            paths: found.map(\.path), roots: policy.settings.roots, rootName: base.lastPathComponent,
            read: { path in try? read(base.appendingPathComponent(path).path).get() })
        let readers = Readers(frontEnds: frontEnds, layout: layout)
        let done = Locked(0)
        let outcomes = parallelMap(found, jobs: jobs) { file -> (outcome: Outcome, bytes: [UInt8]?) in
            if monitor.isCancelled() { return (.skipped(SkippedFile(path: file.path, reason: "cancelled")), nil) }
            defer { monitor.progress(done.withLock { count in count += 1; return count }, found.count) }
            switch read(file.absolutePath) {
            case .success(let bytes): return (parse(bytes, path: file.path, readers: readers), bytes)
            case .failure(let failure): return (.skipped(SkippedFile(path: file.path, reason: failure.reason)), nil)
            }
        }
        if monitor.isCancelled() { throw .cancelled }
        let compiledModules = compiled.map { path in
            // `pkg/speedups.cpython-312-x86_64-linux-gnu.so` is module `pkg.speedups`.
            let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
            let stem = path[slash...].prefix { $0 != "." }
            return naming.module(forPath: path[..<slash] + stem + ".py").name
        }
        return (skippedByWalk.map { (Outcome.skipped($0), nil) } + outcomes, compiledModules, readers)
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

    /// Runs `rules` over an index already built, sorted. When a rule reads the allowlist audit, the audit of
    /// every rule's allowlist entries is worked out first and put in the context.
    public static func run(_ rules: [ConfiguredRule], on context: DetectionContext, jobs: Int = 1) -> [Finding] {
        var context = context
        if rules.contains(where: \.readsAllowlistAudit) {
            let audited = context
            context.unusedAllowlistEntries = parallelMap(rules, jobs: jobs) { $0.unusedAllowlistEntries(in: audited) }
                .flatMap { $0 }
        }
        let ready = context
        let findings = parallelMap(rules, jobs: jobs) { $0.findings(in: ready) }.flatMap { $0 }
        return dropSuperseded(findings, rules: rules.map(\.description)).sorted()
    }

    /// Drops each finding of a rule B when a rule that supersedes B reported at the same path and range, so
    /// one problem gets one finding: the most specific one.
    public static func dropSuperseded(_ findings: [Finding], rules: [RuleDescription]) -> [Finding] {
        var superseded: [String: [String]] = [:]
        for rule in rules {
            for victim in rule.supersedes { superseded[victim, default: []].append(rule.id) }
        }
        guard !superseded.isEmpty else { return findings }
        struct Spot: Hashable {
            let rule: String
            let location: SourceLocation
        }
        let spots = Set(findings.map { Spot(rule: $0.rule, location: $0.location) })
        return findings.filter { finding in
            !(superseded[finding.rule] ?? []).contains { spots.contains(Spot(rule: $0, location: finding.location)) }
        }
    }

    /// Runs `rules` like `run`, then applies the inline suppressions of the project's files: the findings no
    /// suppression silences, and those one does, both sorted. Rules that `reviewsFindings` run last, reading
    /// every other rule's findings from before suppression; their own findings are then suppressed the same way.
    public static func check(
        _ rules: [ConfiguredRule], on context: DetectionContext, jobs: Int = 1
    ) -> (findings: [Finding], suppressed: [Finding]) {
        let reviewers = rules.filter(\.reviewsFindings)
        let others = rules.filter { !$0.reviewsFindings }
        let table = SuppressionMatching.table(context.index.files)
        let first = run(others, on: context, jobs: jobs)
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

    enum Outcome: Sendable {
        case facts(FileFacts)
        case error(FileError)
        case skipped(SkippedFile)
    }

    /// Each front end with its reader for one project, prepared lazily: a front end that handles none of the
    /// project's files never looks at the project.
    struct Readers: Sendable {
        let entries: [(frontEnd: any FrontEnd, reader: any SourceReader)]

        init(frontEnds: [any FrontEnd], layout: ProjectLayout) {
            entries = frontEnds.compactMap { frontEnd in
                guard layout.paths.contains(where: { frontEnd.handles(path: $0) }) else { return nil }
                return (frontEnd, frontEnd.reader(for: layout))
            }
        }

        func reader(for path: String) -> (any SourceReader)? {
            entries.first { $0.frontEnd.handles(path: path) }?.reader
        }
    }

    static func parse(_ bytes: [UInt8], path: String, readers: Readers) -> Outcome {
        if bytes.prefix(8192).contains(0) {
            return .skipped(SkippedFile(path: path, reason: "binary file (it holds a NUL byte)"))
        }
        guard let reader = readers.reader(for: path) else {
            return .skipped(SkippedFile(path: path, reason: "no front end reads this kind of file"))
        }
        do {
            return .facts(try reader.facts(source: bytes, path: path))
        } catch {
            return .error(FileError(path: path, line: error.line, column: error.column, message: error.message))
        }
    }

    struct ReadFailure: Error {
        let reason: String
    }

    static func read(_ path: String) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(ReadFailure(reason: "cannot be read: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(ReadFailure(reason: "cannot be read: \(String(cString: strerror(errno)))")) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(reason: "cannot be read: \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }

    /// Maps `items` on `jobs` threads, keeping the input order in the output.
    public static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
        let workers = min(max(1, jobs), items.count)
        guard workers > 1 else { return items.map(transform) }
        let next = Locked(0)
        let results = Locked([(Int, R)]())
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var local: [(Int, R)] = []
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < items.count else { break }
                local.append((index, transform(items[index])))
            }
            results.withLock { $0.append(contentsOf: local) }
        }
        return results.withLock { $0 }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
