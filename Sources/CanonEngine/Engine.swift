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
    public var findings: [Finding]
    public var errors: [FileError]
    public var skipped: [SkippedFile]
    /// The rules that ran, by id.
    public var rules: [RuleDescription]

    public init(fileCount: Int, findings: [Finding], errors: [FileError], skipped: [SkippedFile], rules: [RuleDescription]) {
        self.fileCount = fileCount
        self.findings = findings
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

/// Runs scans: discovery, parallel parsing, indexing, detectors, sorting.
public enum Engine {
    /// Scans the request's root and reports findings in its paths.
    public static func scan(_ request: ScanRequest) throws(EngineError) -> ScanResult {
        let reported = try reportedPaths(request.paths, root: request.root)
        let facts = collectFacts(root: request.root, policy: request.policy, jobs: request.jobs)
        let reportedFiles = reported.map { prefixes in
            Set(facts.files.map(\.path).filter { path in prefixes.contains { path == $0 || path.hasPrefix($0 + "/") } })
        }
        let index = ProjectIndex(files: facts.files, reportedPaths: reportedFiles, compiledModules: facts.compiledModules)
        let errors = facts.errors.filter { error in reported.map { $0.contains { error.path == $0 || error.path.hasPrefix($0 + "/") } } ?? true }
        var policyPaths: [String: String] = [:]
        for source in request.policy.sources where source != ConfigMark.builtInFile {
            if let relative = ScanRoot.relativePath(of: URL(fileURLWithPath: source), to: request.root) {
                policyPaths[source] = relative
            }
        }
        let context = DetectionContext(index: index, settings: request.policy.settings, policyPaths: policyPaths)
        return ScanResult(
            fileCount: facts.files.count + facts.errors.count,
            findings: run(request.rules, on: context, jobs: request.jobs),
            errors: errors, skipped: facts.skipped, rules: request.rules.map(\.description))
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

    /// Discovers and parses every file under `root` that the policy includes.
    public static func collectFacts(root: URL, policy: Policy, jobs: Int) -> FactsResult {
        let discovery = Discovery(
            root: root, include: policy.include.map(Glob.init), exclude: policy.exclude.map(Glob.init),
            maxFileSize: policy.maxFileSize)
        let (found, skippedByWalk, compiled) = discovery.run()
        let naming = ModuleNaming(root: root, roots: policy.settings.roots)
        let outcomes = parallelMap(found, jobs: jobs) { file -> Outcome in
            switch read(file.absolutePath) {
            case .success(let bytes): parse(bytes, path: file.path, naming: naming)
            case .failure(let failure): .skipped(SkippedFile(path: file.path, reason: failure.reason))
            }
        }
        var files: [FileFacts] = []
        var errors: [FileError] = []
        var skipped = skippedByWalk
        for outcome in outcomes {
            switch outcome {
            case .facts(let facts): files.append(facts)
            case .error(let error): errors.append(error)
            case .skipped(let skip): skipped.append(skip)
            }
        }
        let compiledModules = compiled.map { path in
            // `pkg/speedups.cpython-312-x86_64-linux-gnu.so` is module `pkg.speedups`.
            let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
            let stem = path[slash...].prefix { $0 != "." }
            return naming.module(forPath: path[..<slash] + stem + ".py").name
        }
        return FactsResult(files: files, errors: errors.sorted(), skipped: skipped.sorted(), compiledModules: compiledModules)
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
