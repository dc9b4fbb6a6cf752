import ArgumentParser
import Canon
import Foundation

/// Output formats of `canon rules` and `canon facts`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Output formats of `canon scan`.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case sarif
    case github
}

/// The severity at or above which findings fail the run.
enum FailLevel: String, ExpressibleByArgument, CaseIterable {
    case error
    case warning
    case note
    case never

    var threshold: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .note: .note
        case .never: nil
        }
    }
}

/// Where the facts and findings of a project are kept between runs, shared by every command that reads a
/// project.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: "Keep the cache in this folder (default: $XDG_CACHE_HOME/canon, else ~/.cache/canon), one folder per scan root.")
    var cacheDir: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cache.")
    var noCache = false

    /// The cache of the scan root `root`; nil with `--no-cache`, or with no cache folder to default to.
    func cache(for root: URL, project: ProjectOptions, console: Console) -> ScanCache? {
        noCache ? nil : ScanCache(root: root, base: cacheDir.map { project.absolute($0) }, environment: console.environment)
    }
}

/// Options shared by the commands that read a project and its policy.
struct ProjectOptions: ParsableArguments {
    @Argument(help: "Files or folders to scan (default: the current folder). The whole project under the scan root is indexed; findings are reported only in these.")
    var paths: [String] = []

    @Option(name: .long, help: "A policy file to use instead of the scan root's .canon.yml.")
    var policy: String?

    @Option(name: .long, help: "How many threads to work on: files parsed at once, the index, rules run at once (default: the number of cores).")
    var jobs: Int?

    var urls: [URL] {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return (paths.isEmpty ? ["."] : paths).map { URL(fileURLWithPath: $0, relativeTo: current).standardizedFileURL }
    }

    func resolvedJobs() throws -> Int {
        guard let jobs else { return ProcessInfo.processInfo.activeProcessorCount }
        guard jobs >= 1 else { throw CommandFailure(message: "--jobs must be at least 1, not \(jobs)") }
        return jobs
    }

    /// `path` made absolute against the current folder.
    func absolute(_ path: String) -> URL {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// Loads the project and its policy and runs the rules the policy enables (narrowed by `select` and
    /// `ignore`, ids or codes) over it, reporting findings in `paths`. `cache` picks the cache folder for the
    /// scan root (nil: no cache); `forSARIF` works out what only a SARIF log carries (each fixable finding's
    /// edits, line hashes); `monitor` is told of progress.
    func scan(
        policies: PolicyLoader, select: [String]? = nil, ignore: [String] = [], leavingMemoryToExit: Bool = false,
        writingCacheInBackground: Bool = false, cache: (URL) -> ScanCache? = { _ in nil }, forSARIF: Bool = false,
        monitor: ScanMonitor = ScanMonitor()
    ) throws -> ProjectScan {
        let registry = policies.registry
        let (root, policy) = try load(policies: policies)
        do {
            let rules = try policy.configuredRules(registry: registry, select: select, ignore: ignore)
            let reported = try Engine.reportedPaths(urls, root: root)
            let jobs = try resolvedJobs()
            let editsOfFindings: ScanRequest.EditsOfFindings = { findings, index, source in
                Fixer.editsPerFinding(findings, index: index, jobs: jobs, source: source)
            }
            let result = try Engine.scan(
                ScanRequest(
                    root: root, paths: urls, policy: policy, rules: rules, jobs: jobs, frontEnds: registry.frontEnds,
                    cache: cache(root), leavesMemoryToExit: leavingMemoryToExit, writesCacheInBackground: writingCacheInBackground,
                    editsOfFindings: forSARIF ? editsOfFindings : nil, lineHashes: forSARIF),
                monitor: monitor)
            return ProjectScan(root: root, policy: policy, result: result, reported: reported)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: String(describing: error))
        }
    }

    /// Reads the baseline at `path`, failing with a message that names it.
    func readBaseline(_ path: String) throws -> Baseline {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(message: "baseline '\(path)' does not exist; record one with 'canon baseline --output \(path)'")
        }
        do {
            return try Baseline.read(URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(message: error.description)
        }
    }

    /// The scan root, checked to exist, and the policy for it.
    func load(policies: PolicyLoader) throws -> (root: URL, policy: Policy) {
        let urls = urls
        for url in urls where !FileManager.default.fileExists(atPath: url.path) {
            throw CommandFailure(message: "'\(url.path)' does not exist; give a file or folder to scan")
        }
        let root = ScanRoot.locate(for: urls[0])
        do {
            let policy = try policies.load(
                root: root, explicitFile: self.policy.map { URL(fileURLWithPath: $0) })
            return (root, policy)
        } catch {
            throw CommandFailure(message: String(describing: error))
        }
    }
}

/// One scan of a project, as `canon scan` and `canon baseline` run it.
struct ProjectScan {
    let root: URL
    let policy: Policy
    let result: ScanResult
    /// The paths whose findings were reported, relative to the root; nil for all.
    let reported: [String]?

    /// How the scan's findings compare with `baseline`: an entry is judged stale only if its rule ran and its
    /// file was among those reported.
    func compare(with baseline: Baseline) -> Baseline.Comparison {
        let ran = Set(result.rules.map(\.description.id))
        return baseline.compare(result.findings) { entry in
            ran.contains(entry.rule)
                && (reported?.contains { entry.path == $0 || entry.path.hasPrefix($0 + "/") } ?? true)
        }
    }
}

/// `canon scan`: scans a project and reports findings.
struct ScanCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan", abstract: "Scan a project and report its dual patterns.")

    @OptionGroup var project: ProjectOptions

    @Option(name: .long, help: "The format on standard output (or --output): \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .text

    @Option(name: .long, help: "Write the --format report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("json-output"), help: "Also write the JSON report to this file.")
    var jsonOutput: String?

    @Option(name: .customLong("text-output"), help: "Also write the text report to this file.")
    var textOutput: String?

    @Option(name: .customLong("sarif-output"), help: "Also write the SARIF report to this file.")
    var sarifOutput: String?

    @Option(name: .long, help: "The SARIF analysis category (automationDetails.id), to tell apart several analyses of one commit.")
    var category: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error, warning, note, never.")
    var failOn: FailLevel = .warning

    @Option(name: .long, help: "Run only these rules (ids or codes, comma-separated), even those off by default.")
    var select: String?

    @Option(name: .long, help: "Do not run these rules (ids or codes, comma-separated).")
    var ignore: String?

    @Flag(name: .customLong("exit-zero"), help: "Exit 0 even when there are findings.")
    var exitZero = false

    @Flag(name: .long, help: "Print how many findings each rule reported.")
    var statistics = false

    @Flag(name: .shortAndLong, help: "Print only findings: no summary, no notices and no progress.")
    var quiet = false

    @OptionGroup var caching: CacheOptions

    @Flag(name: .customLong("absolute-paths"), help: "Print absolute paths, as compilers do (for build logs and editors).")
    var absolutePaths = false

    @Option(name: .long, help: "A baseline file (from 'canon baseline'): findings it holds are not reported, and its entries that match nothing are listed as stale (default: the policy's 'baseline').")
    var baseline: String?

    @Flag(name: .customLong("baseline-strict"), help: "Exit 1 when the baseline has stale entries, so it can only shrink.")
    var baselineStrict = false

    @Flag(name: .customLong("show-suppressed"), help: "List findings hidden by inline suppressions or the baseline in the JSON report, each with its status.")
    var showSuppressed = false

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let progress = console.errorIsTerminal && !quiet ? ProgressDisplay(console: console) : nil
        let scan: ProjectScan
        let cache = { (root: URL) in caching.cache(for: root, project: project, console: console) }
        do {
            defer { progress?.finish() }
            scan = try project.scan(
                policies: policies, select: select.map(Self.split), ignore: ignore.map(Self.split) ?? [],
                leavingMemoryToExit: console.exitsAfterCommand, writingCacheInBackground: true, cache: cache,
                forSARIF: format == .sarif || sarifOutput != nil,
                monitor: ScanMonitor(progress: { done, total in progress?.update(done: done, total: total) }))
        }
        let (root, result) = (scan.root, scan.result)
        // The report is rendered and written while the cache is; the command ends when both are done.
        defer { result.waitForCache() }
        let baselineFile = baseline.map { project.absolute($0).path } ?? scan.policy.baseline
        let comparison = try baselineFile.map { file in try scan.compare(with: project.readBaseline(file)) }
        var report = Report(
            toolVersion: CanonVersion.current, fileCount: result.fileCount, findings: comparison?.new ?? result.findings,
            errors: result.errors, skipped: result.skipped, rules: result.rules, suppressed: result.suppressed,
            baselined: comparison?.baselined ?? [], stale: comparison?.stale ?? [], usesBaseline: comparison != nil)
        report.fixes = result.edits
        // Thousands of findings, each held by the scan and the report, are left for the system to take back.
        defer { if console.exitsAfterCommand { keepUntilExit((scan, report)) } }
        if absolutePaths { report = report.withPaths(under: root.standardizedFileURL.resolvingSymlinksInPath().path) }
        if !quiet {
            for skipped in report.skipped { console.error("canon: skipped \(skipped.path): \(skipped.reason)") }
        }
        let toFile = output != nil
        let main = render(report, as: format, root: root, color: !toFile && console.wantsColor)
        if let output { try writeAtomically(main, to: output) } else { console.write(bytes: main) }
        for (path, format) in [(jsonOutput, ReportFormat.json), (textOutput, .text), (sarifOutput, .sarif)] {
            if let path { try writeAtomically(render(report, as: format, root: root, color: false), to: path) }
        }
        if toFile && !quiet { console.error(TextReporter().summary(report)) }
        guard !exitZero else { return ExitCode32.clean }
        if baselineStrict && !report.stale.isEmpty { return ExitCode32.findings }
        guard let threshold = failOn.threshold else { return ExitCode32.clean }
        return report.findings.contains { $0.severity >= threshold } ? ExitCode32.findings : ExitCode32.clean
    }

    private func render(_ report: Report, as format: ReportFormat, root: URL, color: Bool) -> [UInt8] {
        switch format {
        case .text: TextReporter(useColor: color, statistics: statistics, quiet: quiet).renderBytes(report)
        case .json: JSONReporter(showSuppressed: showSuppressed, jobs: project.jobs).renderBytes(report)
        case .sarif: SARIFReporter(category: category, sourceRoot: root, jobs: project.jobs).renderBytes(report)
        case .github: GitHubReporter(quiet: quiet).renderBytes(report)
        }
    }

    static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
