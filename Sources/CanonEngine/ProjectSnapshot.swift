import CanonCore
import CanonPolicy
import Foundation

/// A project's parsed files kept in memory, so that one file can be parsed again (from unsaved content, say)
/// and the project checked again without reading every file: what `canon serve` holds between requests.
///
/// Every file's bytes are kept beside its facts: findings are fingerprinted from the text that was parsed,
/// never from a later read of the disk.
public struct ProjectSnapshot: Sendable {
    /// The facts of every file that parsed, sorted by path.
    public var files: [FileFacts] { index.files }
    /// Files that did not parse, sorted.
    public private(set) var errors: [FileError]
    /// Files passed over (binary, too large, unreadable), sorted.
    public private(set) var skipped: [SkippedFile]
    /// The policy's project-wide declarations that detectors read.
    public let settings: ProjectSettings
    /// The policy files inside the root, by the name their marks carry, as paths relative to the root.
    private var policyPaths: [String: String] = [:]
    private let readers: Engine.Readers
    private var sources: [String: [UInt8]]
    /// Where the text of a file whose bytes are not kept comes from, for fingerprints.
    private var diskSource: @Sendable (String) -> [UInt8]? = { _ in nil }
    /// Compiled modules (`.pyx`, `.so`, `.pyd`) found beside the sources: imports of them resolve.
    private let compiledModules: [String]
    /// How many threads the index is built on (nil: `ProjectIndex`'s default).
    private let jobs: Int?
    private var index: ProjectIndex
    /// What rules derived from the index at the last check, carried over one-file replacements.
    private var derived = DerivedValues()

    /// Discovers, reads and parses every file under `root` that the policy includes, on `jobs` threads.
    /// Throws `EngineError.cancelled` when the monitor asks to stop.
    public static func load(
        root: URL, policy: Policy, jobs: Int, frontEnds: [any FrontEnd] = Engine.defaultFrontEnds,
        monitor: ScanMonitor = ScanMonitor()
    ) throws(EngineError) -> ProjectSnapshot {
        let (loaded, compiledModules, readers) = try Engine.load(
            root: root, policy: policy, frontEnds: frontEnds, jobs: jobs, monitor: monitor)
        var project = ProjectSnapshot(
            loaded: loaded, compiledModules: compiledModules, settings: policy.settings, readers: readers, jobs: jobs)
        project.policyPaths = policyPaths(of: policy, root: root)
        return project
    }

    /// The policy files inside `root`, by the name their marks carry, as paths relative to the root.
    static func policyPaths(of policy: Policy, root: URL) -> [String: String] {
        var paths: [String: String] = [:]
        for source in policy.sources where source != ConfigMark.builtInFile {
            if let relative = ScanRoot.relativePath(of: URL(fileURLWithPath: source), to: root) { paths[source] = relative }
        }
        return paths
    }

    /// A one-shot scan's project, from its outcomes (`LoadedProject.decoded`), with no bytes kept; a file with
    /// findings is read again from under `root` to fingerprint them.
    /// `buildingSymbolTable` and `deferringSymbolImports`: see `ProjectIndex.init`.
    init(
        decoded project: DecodedProject, root: URL, settings: ProjectSettings, policyPaths: [String: String], jobs: Int,
        buildingSymbolTable: Bool = false, deferringSymbolImports: Bool = false
    ) {
        self.init(
            files: project.files, errors: project.errors, skipped: project.skipped, sources: [:],
            compiledModules: project.compiledModules, settings: settings, readers: project.readers, jobs: jobs,
            buildingSymbolTable: buildingSymbolTable, deferringSymbolImports: deferringSymbolImports)
        self.policyPaths = policyPaths
        diskSource = Engine.diskSource(root: root)
    }

    /// A project made of files given in memory: paths relative to a virtual root, and their contents.
    /// `rootName` names the root folder (a Python package when the sources hold an `__init__.py` at the root).
    public init(
        sources: [(path: String, contents: [UInt8])], settings: ProjectSettings = ProjectSettings(), rootName: String? = nil,
        frontEnds: [any FrontEnd] = Engine.defaultFrontEnds
    ) {
        let frontEnds = frontEnds.isEmpty ? Engine.defaultFrontEnds : frontEnds
        let sorted = sources.sorted { $0.path < $1.path }.filter { source in frontEnds.contains { $0.handles(path: source.path) } }
        let contents = Dictionary(sources.map { ($0.path, $0.contents) }, uniquingKeysWith: { first, _ in first })
        let layout = ProjectLayout(paths: sorted.map(\.path), roots: settings.roots, rootName: rootName, read: { contents[$0] })
        let readers = Engine.Readers(frontEnds: frontEnds, layout: layout)
        let loaded = sorted.map { source in
            (outcome: Engine.parse(source.contents, path: source.path, readers: readers), bytes: Optional(source.contents))
        }
        self.init(loaded: loaded, compiledModules: [], settings: settings, readers: readers)
    }

    private init(
        loaded: [(outcome: Engine.Outcome, bytes: [UInt8]?)], compiledModules: [String], settings: ProjectSettings,
        readers: Engine.Readers, jobs: Int? = nil
    ) {
        var files: [FileFacts] = []
        var errors: [FileError] = []
        var skipped: [SkippedFile] = []
        var sources: [String: [UInt8]] = [:]
        for (outcome, bytes) in loaded {
            switch outcome {
            case .facts(let facts):
                files.append(facts)
                sources[facts.path] = bytes
            case .error(let error):
                errors.append(error)
                sources[error.path] = bytes
            case .skipped(let skip):
                skipped.append(skip)
            }
        }
        self.init(
            files: files, errors: errors, skipped: skipped, sources: sources, compiledModules: compiledModules,
            settings: settings, readers: readers, jobs: jobs)
    }

    private init(
        files: [FileFacts], errors: [FileError], skipped: [SkippedFile], sources: [String: [UInt8]],
        compiledModules: [String], settings: ProjectSettings, readers: Engine.Readers, jobs: Int? = nil,
        buildingSymbolTable: Bool = false, deferringSymbolImports: Bool = false
    ) {
        self.errors = errors.sorted()
        self.skipped = skipped.sorted()
        self.settings = settings
        self.readers = readers
        self.sources = sources
        self.compiledModules = compiledModules
        self.jobs = jobs
        self.index = ProjectIndex(
            files: files, compiledModules: compiledModules, jobs: jobs, buildingSymbolTable: buildingSymbolTable,
            deferringSymbolImports: deferringSymbolImports)
    }

    /// The project's index, as rules read it.
    public var projectIndex: ProjectIndex { index }

    /// The facts, errors and skipped files, as `canon facts` prints them.
    public var facts: FactsResult {
        FactsResult(files: files, errors: errors, skipped: skipped, compiledModules: compiledModules)
    }

    /// How many files were parsed, with or without errors.
    public var fileCount: Int { files.count + errors.count }

    /// Parses one file again from `contents` (a file the project did not hold is added) and re-indexes what
    /// changed; the rest of the project is not read. Replacing a file that parsed before with one that parses
    /// re-indexes its module only; any other change indexes the project again. Contents the project already
    /// holds for the file change nothing.
    public mutating func update(path: String, contents: [UInt8]) {
        if sources[path] == contents, index.file(atPath: path) != nil || errors.contains(where: { $0.path == path }) { return }
        errors.removeAll { $0.path == path }
        skipped.removeAll { $0.path == path }
        sources[path] = nil
        let outcome = Engine.parse(contents, path: path, readers: readers)
        if case .facts(let facts) = outcome, let old = index.file(atPath: path) {
            // The derived values let go of the index first, so that it is updated in place, not copied.
            derived = derived.replacing(old, with: facts)
            if index.replace(facts) {
                sources[path] = contents
                return
            }
        }
        derived = DerivedValues()
        var remaining = index.files
        switch outcome {
        case .facts(let facts):
            sources[path] = contents
            remaining.removeAll { $0.path == path }
            remaining.append(facts)
        case .error(let error):
            errors.append(error)
            errors.sort()
            sources[path] = contents
            remaining.removeAll { $0.path == path }
        case .skipped(let skip):
            skipped.append(skip)
            skipped.sort()
            remaining.removeAll { $0.path == path }
        }
        index = ProjectIndex(files: remaining, compiledModules: compiledModules, jobs: jobs)
    }

    /// Builds what checks of a few files keep across edits (the structures rules read when only a few files
    /// are reported: the import graph, instance counts, concept sites, what the symbol table needs to follow
    /// an edit), so that the first check of an edited file after a full check is as quick as the next: a
    /// check of the first Python file, whose findings are dropped.
    public func prepareFileChecks(_ rules: [ConfiguredRule], jobs: Int) {
        guard let path = files.first(where: { $0.language == .python })?.path else { return }
        _ = check(rules, reporting: [path], jobs: jobs)
        index.prepareForReplace()
    }

    /// Runs `rules` over the whole project and returns the findings in `reported` (paths of files or folders
    /// relative to the root; nil for every file), sorted, each with its fingerprint and line hash.
    public func check(_ rules: [ConfiguredRule], reporting reported: [String]?, jobs: Int) -> ScanResult {
        check(rules, reporting: reported, jobs: jobs, stamped: [:], lineHashes: true)
    }

    /// `check`, taking the stamps of the findings in a file from `stamped` (by path, kept and suppressed
    /// together, sorted) when the file's findings are those, so that its text is not read again; line hashes
    /// only when `lineHashes` is set; keeping findings of the last check where `last` allows; putting what the
    /// next check needs in `memo` when given.
    func check(
        _ rules: [ConfiguredRule], reporting reported: [String]?, jobs: Int, stamped: [String: [Finding]], lineHashes: Bool,
        last: Engine.LastCheck? = nil, memo: Locked<Engine.CheckMemo>? = nil
    ) -> ScanResult {
        func isReported(_ path: String) -> Bool {
            reported.map { $0.contains { $0.isEmpty || path == $0 || path.hasPrefix($0 + "/") } } ?? true
        }
        let context = DetectionContext(
            index: index.reporting(reported.map { _ in Set(files.map(\.path).filter(isReported)) }), settings: settings,
            policyPaths: policyPaths, derivedValues: derived)
        let (kept, suppressed) = Engine.check(rules, on: context, jobs: jobs, last: last, memo: memo)
        let (sources, diskSource) = (sources, diskSource)
        let (findings, suppressedFindings) = Engine.fingerprint(
            kept: kept, suppressed: suppressed, jobs: jobs, source: { sources[$0] ?? diskSource($0) }, stamped: stamped,
            lineHashes: lineHashes)
        return ScanResult(
            fileCount: fileCount, findings: findings, suppressed: suppressedFindings,
            errors: errors.filter { isReported($0.path) }, skipped: skipped, rules: rules)
    }
}

extension Engine {
    /// Reads a file by its path relative to `root` (the bytes, or nil when it cannot be read).
    static func diskSource(root: URL) -> @Sendable (String) -> [UInt8]? {
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        let separator = base.hasSuffix("/") ? "" : "/"
        // Joined as strings: `URL.appendingPathComponent` cost 17,000 instructions a file.
        return { path in try? FileReader.read(DottedName.concatenate(base, separator, path)).get() }
    }

    /// `kept` and `suppressed` (findings not yet fingerprinted) with `fingerprint` and (when `lineHashes` is set)
    /// `lineHash` set from the text of their files, which `source` gives by path; both sorted.
    ///
    /// The two are fingerprinted together, so that suppressing one of two like findings leaves the other's
    /// occurrence alone. Occurrences are counted per file, so each file's findings are fingerprinted on their
    /// own, files in parallel, and each file's lines are dropped as soon as its findings are stamped.
    ///
    /// A file whose findings (kept and suppressed, sorted) are, but for their stamps, those `stamped` holds
    /// for its path takes those (when they have line hashes, if asked for): `stamped` must come from the same
    /// text of the file.
    static func fingerprint(
        kept: [Finding], suppressed: [Finding], jobs: Int, source: @escaping @Sendable (String) -> [UInt8]?,
        stamped reusable: [String: [Finding]] = [:], lineHashes: Bool = true
    ) -> (findings: [Finding], suppressed: [Finding]) {
        let silenced = Set(suppressed)
        var byFile: [[Finding]] = []
        for finding in (kept + suppressed).sorted() {
            if byFile.last?.first?.location.path == finding.location.path { byFile[byFile.count - 1].append(finding) } else { byFile.append([finding]) }
        }
        let stamped = parallelMap(byFile, jobs: jobs) { group in
            if let old = reusable[group[0].location.path], old.count == group.count,
                zip(old, group).allSatisfy({ $0.unstamped == $1 }), !lineHashes || old.allSatisfy({ $0.lineHash != nil })
            {
                return old
            }
            return Fingerprint.attach(to: group, source: source, lineHashes: lineHashes)
        }
        var findings: [Finding] = []
        var suppressedFindings: [Finding] = []
        for finding in stamped.joined() {
            if silenced.contains(finding.unstamped) { suppressedFindings.append(finding) } else { findings.append(finding) }
        }
        return (findings, suppressedFindings)
    }
}

extension Finding {
    /// The finding without the fingerprint and line hash worked out from its file's text.
    var unstamped: Finding {
        var plain = self
        plain.fingerprint = nil
        plain.lineHash = nil
        return plain
    }
}
