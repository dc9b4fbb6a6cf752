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

    public init(root: URL, paths: [URL] = [], policy: Policy, rules: [ConfiguredRule], jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.root = root
        self.paths = paths
        self.policy = policy
        self.rules = rules
        self.jobs = max(1, jobs)
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
    /// Scans the request's root and reports findings in its paths.
    public static func scan(_ request: ScanRequest, monitor: ScanMonitor = ScanMonitor()) throws(EngineError) -> ScanResult {
        let reported = try reportedPaths(request.paths, root: request.root)
        let project = try ProjectSnapshot.load(root: request.root, policy: request.policy, jobs: request.jobs, monitor: monitor)
        return project.check(request.rules, reporting: reported, jobs: request.jobs)
    }

    /// Scans files given in memory (path relative to a virtual root, and contents), as examples and editors
    /// need. `rootPackage` names the package the root stands for, if any.
    public static func scan(
        sources: [(path: String, contents: [UInt8])], rules: [ConfiguredRule], settings: ProjectSettings = ProjectSettings(),
        rootPackage: String? = nil
    ) -> ScanResult {
        ProjectSnapshot(sources: sources, settings: settings, rootPackage: rootPackage).check(rules, reporting: nil, jobs: 1)
    }

    /// Discovers and parses every file under `root` that the policy includes.
    public static func collectFacts(root: URL, policy: Policy, jobs: Int) -> FactsResult {
        // Without a monitor that cancels, loading does not throw.
        let project = try? ProjectSnapshot.load(root: root, policy: policy, jobs: jobs)
        return FactsResult(files: project?.files ?? [], errors: project?.errors ?? [], skipped: project?.skipped ?? [])
    }

    /// Reads and parses every file the policy includes under `root`, in path order, keeping each file's bytes.
    static func load(
        root: URL, policy: Policy, naming: ModuleNaming, jobs: Int, monitor: ScanMonitor
    ) throws(EngineError) -> [(outcome: Outcome, bytes: [UInt8]?)] {
        let discovery = Discovery(
            root: root, include: policy.include.map(Glob.init), exclude: policy.exclude.map(Glob.init),
            maxFileSize: policy.maxFileSize)
        let (found, skippedByWalk) = discovery.run()
        let done = Locked(0)
        let outcomes = parallelMap(found, jobs: jobs) { file -> (outcome: Outcome, bytes: [UInt8]?) in
            if monitor.isCancelled() { return (.skipped(SkippedFile(path: file.path, reason: "cancelled")), nil) }
            defer { monitor.progress(done.withLock { count in count += 1; return count }, found.count) }
            switch read(file.absolutePath) {
            case .success(let bytes): return (parse(bytes, path: file.path, naming: naming), bytes)
            case .failure(let failure): return (.skipped(SkippedFile(path: file.path, reason: failure.reason)), nil)
            }
        }
        if monitor.isCancelled() { throw .cancelled }
        return skippedByWalk.map { (Outcome.skipped($0), nil) } + outcomes
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
        return parallelMap(rules, jobs: jobs) { $0.findings(in: ready) }.flatMap { $0 }.sorted()
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

    static func parse(_ bytes: [UInt8], path: String, naming: ModuleNaming) -> Outcome {
        if bytes.prefix(8192).contains(0) {
            return .skipped(SkippedFile(path: path, reason: "binary file (it holds a NUL byte)"))
        }
        let (module, isPackage) = naming.module(forPath: path)
        do {
            return .facts(
                try PythonFrontEnd.facts(
                    source: bytes, path: path, module: module, isPackage: isPackage, isStub: path.hasSuffix(".pyi")))
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
