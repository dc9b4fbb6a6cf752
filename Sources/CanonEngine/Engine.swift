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
    /// How many files are read and parsed at once; at least 1.
    public var jobs: Int
    /// Where facts and findings are kept between scans; nil scans without a cache.
    public var cache: ScanCache?
    /// Told, from worker threads, how many files are loaded of how many, as the scan goes.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(
        root: URL, paths: [URL] = [], policy: Policy, rules: [ConfiguredRule],
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, cache: ScanCache? = nil,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) {
        self.root = root
        self.paths = paths
        self.policy = policy
        self.rules = rules
        self.jobs = max(1, jobs)
        self.cache = cache
        self.progress = progress
    }
}

/// What a scan found, sorted, so that output does not depend on thread count or directory order.
public struct ScanResult: Sendable {
    /// How many files were parsed (with or without errors).
    public var fileCount: Int
    public var findings: [Finding]
    public var errors: [FileError]
    public var skipped: [SkippedFile]
    /// The rules that ran, by id.
    public var rules: [RuleDescription]
    /// What the scan took from its cache.
    public var cacheUsage = CacheUsage()

    public init(fileCount: Int, findings: [Finding], errors: [FileError], skipped: [SkippedFile], rules: [RuleDescription]) {
        self.fileCount = fileCount
        self.findings = findings
        self.errors = errors
        self.skipped = skipped
        self.rules = rules
    }
}

/// What a scan took from its cache and what it had to work out again.
public struct CacheUsage: Sendable, Hashable {
    /// Files read and parsed by the front end.
    public var filesParsed = 0
    /// Files whose facts came from the cache (unchanged stamp, or unchanged content).
    public var filesReused = 0
    /// Whether the findings came from the cache, the rules not run at all.
    public var findingsReused = false

    public init(filesParsed: Int = 0, filesReused: Int = 0, findingsReused: Bool = false) {
        self.filesParsed = filesParsed
        self.filesReused = filesReused
        self.findingsReused = findingsReused
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

/// Runs scans: discovery, parallel parsing, indexing, detectors, sorting.
public enum Engine {
    /// Scans the request's root and reports findings in its paths.
    ///
    /// With a cache, unchanged files are not parsed again, and when no file's content changed and the rules
    /// are the same, the findings of the last scan are used as they are.
    public static func scan(_ request: ScanRequest) throws(EngineError) -> ScanResult {
        let reported = try reportedPaths(request.paths, root: request.root)
        let naming = ModuleNaming(root: request.root, roots: request.policy.settings.roots)
        let project = load(
            root: request.root, policy: request.policy, naming: naming, jobs: request.jobs, cache: request.cache,
            progress: request.progress)
        var policyPaths: [String: String] = [:]
        for source in request.policy.sources where source != ConfigMark.builtInFile {
            if let relative = ScanRoot.relativePath(of: URL(fileURLWithPath: source), to: request.root) {
                policyPaths[source] = relative
            }
        }
        let rootPath = request.root.standardizedFileURL.resolvingSymlinksInPath().path
        let saving = DispatchGroup()
        if let cache = request.cache, project.cacheIsStale {
            DispatchQueue.global().async(group: saving) { project.save(to: cache, root: rootPath) }
        }
        defer { saving.wait() }
        let findingsKey = request.cache.map { _ in
            FindingsKey.of(facts: project.factsKey, rules: request.rules, settings: request.policy.settings, policyPaths: policyPaths)
        }
        let facts: FactsResult
        let findings: [Finding]
        var usage = CacheUsage(filesParsed: project.parsedFiles, filesReused: project.reusedFiles)
        if let cache = request.cache, let findingsKey, let cached = FindingsStore.load(from: cache, key: findingsKey) {
            facts = project.result(jobs: request.jobs, naming: naming, decodingFacts: false)
            findings = cached
            usage.findingsReused = true
        } else {
            facts = project.result(jobs: request.jobs, naming: naming)
            let context = DetectionContext(
                index: ProjectIndex(files: facts.files, compiledModules: facts.compiledModules),
                settings: request.policy.settings, policyPaths: policyPaths)
            findings = run(request.rules, on: context, jobs: request.jobs)
            if let cache = request.cache, let findingsKey { FindingsStore.save(findings, to: cache, key: findingsKey) }
        }
        func isReported(_ path: String) -> Bool {
            reported.map { $0.contains { path == $0 || path.hasPrefix($0 + "/") } } ?? true
        }
        let reportedFiles = reported.map { _ in
            Set(project.files.lazy.filter { $0.isParsedFacts && isReported($0.path) }.map(\.path))
        }
        var result = ScanResult(
            fileCount: project.parsedCount,
            findings: reportedFiles.map { files in findings.filter { files.contains($0.location.path) } } ?? findings,
            errors: facts.errors.filter { isReported($0.path) }, skipped: facts.skipped,
            rules: request.rules.map(\.description))
        result.cacheUsage = usage
        return result
    }

    /// Scans files given in memory (path relative to a virtual root, and contents), as examples and editors
    /// need. `rootPackage` names the package the root stands for, if any.
    public static func scan(
        sources: [(path: String, contents: [UInt8])], rules: [ConfiguredRule], settings: ProjectSettings = ProjectSettings(),
        rootPackage: String? = nil
    ) -> ScanResult {
        let (facts, index) = self.index(sources: sources, settings: settings, rootPackage: rootPackage)
        return ScanResult(
            fileCount: facts.files.count + facts.errors.count,
            findings: run(rules, on: DetectionContext(index: index, settings: settings), jobs: 1), errors: facts.errors,
            skipped: facts.skipped, rules: rules.map(\.description))
    }

    /// Parses files given in memory and indexes them, for tools that read the index rather than run rules.
    public static func index(
        sources: [(path: String, contents: [UInt8])], settings: ProjectSettings = ProjectSettings(), rootPackage: String? = nil
    ) -> (facts: FactsResult, index: ProjectIndex) {
        let naming = ModuleNaming(rootPackage: rootPackage, roots: settings.roots)
        var files: [FileFacts] = []
        var errors: [FileError] = []
        var skipped: [SkippedFile] = []
        for source in sources.sorted(by: { $0.path < $1.path }) {
            switch parse(source.contents, path: source.path, naming: naming) {
            case .facts(let facts): files.append(facts)
            case .error(let error): errors.append(error)
            case .skipped(let skip): skipped.append(skip)
            }
        }
        return (FactsResult(files: files, errors: errors, skipped: skipped), ProjectIndex(files: files))
    }

    /// Discovers and parses every file under `root` that the policy includes, reusing the cache's facts of
    /// unchanged files when a cache is given.
    public static func collectFacts(root: URL, policy: Policy, jobs: Int, cache: ScanCache? = nil) -> FactsResult {
        let naming = ModuleNaming(root: root, roots: policy.settings.roots)
        let project = load(root: root, policy: policy, naming: naming, jobs: jobs, cache: cache)
        if let cache, project.cacheIsStale {
            project.save(to: cache, root: root.standardizedFileURL.resolvingSymlinksInPath().path)
        }
        return project.result(jobs: jobs, naming: naming)
    }

    private static func reportedPaths(_ paths: [URL], root: URL) throws(EngineError) -> [String]? {
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
}
