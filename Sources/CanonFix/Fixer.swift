import CanonCore
import CanonEngine
import CanonPolicy
import Foundation

/// One `canon fix` run to make.
public struct FixRequest: Sendable {
    /// The scan root: the whole project under it is indexed, and nothing outside it is written.
    public var root: URL
    /// Files or folders under the root to fix; empty fixes every file.
    public var paths: [URL]
    public var policy: Policy
    /// The rules whose fixable findings are fixed.
    public var rules: [ConfiguredRule]
    public var jobs: Int
    /// Whether to write the fixed files; false only works the rewrites out (for `--diff`).
    public var write: Bool
    /// Where the facts of unchanged files are kept between runs (the cache `canon scan` keeps); nil parses
    /// every file. Each file is still read again before it is rewritten, and must import what its facts say.
    public var cache: ScanCache?
    /// The front ends that read files (pass the scan's, so that a shared cache keeps serving both).
    public var frontEnds: [any FrontEnd]

    public init(
        root: URL, paths: [URL] = [], policy: Policy, rules: [ConfiguredRule], jobs: Int = 1, write: Bool, cache: ScanCache? = nil,
        frontEnds: [any FrontEnd] = Engine.defaultFrontEnds
    ) {
        self.root = root
        self.paths = paths
        self.policy = policy
        self.rules = rules
        self.jobs = max(1, jobs)
        self.write = write
        self.cache = cache
        self.frontEnds = frontEnds
    }
}

/// A file whose fixes were not applied, and why.
public struct SkippedFix: Sendable, Hashable {
    public var path: String
    public var reason: String
    /// How many fixable findings it holds.
    public var findings: Int
}

/// What a fix run did.
public struct FixResult: Sendable {
    /// The rewrites, in path order: written when the request writes, else only worked out.
    public var rewrites: [FileRewrite]
    public var skipped: [SkippedFix]
    /// The findings of the rules that offer fixes for which no safe rewrite is known, with the reason.
    public var unfixable: [Finding]
    /// The fixable findings left once the run is over: after writing, found by scanning again; without
    /// writing, every fixable finding.
    public var remaining: [Finding]
    /// Files that could not be parsed; their imports are not fixed.
    public var errors: [FileError]
}

/// Applies the fixes findings carry: scans, rewrites each file with fixable findings (checked to parse and to
/// bind the same names to the same objects), writes atomically, and scans again to see what is left.
public enum Fixer {
    public static func fix(_ request: FixRequest) throws(EngineError) -> FixResult {
        let first = try scan(request)
        let fixable = Dictionary(grouping: first.findings.filter(\.isFixable), by: \.location.path)
        let filesByPath = Dictionary(first.index.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let plans = Engine.parallelMap(fixable.keys.sorted(), jobs: request.jobs) { path -> Result<FileRewrite, FixFailure> in
            guard let facts = filesByPath[path] else {
                return .failure(FixFailure("is not in the index; left as it is"))
            }
            guard let data = FileManager.default.contents(atPath: request.root.appendingPathComponent(path).path) else {
                return .failure(FixFailure("cannot be read; left as it is"))
            }
            return FileRewrite.plan(findings: fixable[path]!, bytes: [UInt8](data), facts: facts, index: first.index)
        }
        var rewrites: [FileRewrite] = []
        var skipped: [SkippedFix] = []
        for (path, plan) in zip(fixable.keys.sorted(), plans) {
            switch plan {
            case .success(let rewrite):
                if request.write, let failure = FileWriter.write(rewrite, root: request.root) {
                    skipped.append(SkippedFix(path: path, reason: failure.reason, findings: rewrite.findings.count))
                } else {
                    rewrites.append(rewrite)
                }
            case .failure(let failure):
                skipped.append(SkippedFix(path: path, reason: failure.reason, findings: fixable[path]!.count))
            }
        }
        let remaining = request.write && !rewrites.isEmpty
            ? try scan(request).findings.filter(\.isFixable) : first.findings.filter(\.isFixable)
        return FixResult(
            rewrites: rewrites, skipped: skipped, unfixable: first.findings.filter { $0.fix?.reason != nil },
            remaining: remaining, errors: first.errors)
    }

    /// The text edits that fix the fixable findings of one file's contents (an editor's buffer), checked as
    /// `canon fix` checks them; nothing is written. `findings` and `index` come from a scan of the project
    /// with these contents.
    public static func edits(for findings: [Finding], contents: [UInt8], facts: FileFacts, index: ProjectIndex) -> Result<[TextEdit], FixFailure> {
        FileRewrite.plan(findings: findings, bytes: contents, facts: facts, index: index).map(\.edits)
    }

    /// Each fixable finding's own edits, as if it were fixed alone: what reporters attach to a result (SARIF
    /// `fixes`). A file that cannot be read, or whose rewrite is not safe, gives none. Nothing is written.
    /// Files are worked on `jobs` at a time.
    public static func editsPerFinding(_ findings: [Finding], root: URL, index: ProjectIndex, jobs: Int = 1) -> [Finding: [TextEdit]] {
        editsPerFinding(findings, index: index, jobs: jobs) { path in
            FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map { [UInt8]($0) }
        }
    }

    /// Each fixable finding's own edits, like `editsPerFinding(_:root:index:jobs:)`, with the text of each file
    /// from `source` (by path relative to the root; nil when it cannot be read). What a scan asks for with
    /// `ScanRequest.editsOfFindings`.
    public static func editsPerFinding(
        _ findings: [Finding], index: ProjectIndex, jobs: Int = 1, source: @escaping @Sendable (String) -> [UInt8]?
    ) -> [Finding: [TextEdit]] {
        let filesByPath = Dictionary(index.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let byPath = Dictionary(grouping: findings.filter(\.isFixable), by: \.location.path)
        // Each file is parsed once, then its findings are planned one by one, all files' at once (one file can
        // hold most of them).
        let prepared = Engine.parallelMap(byPath.keys.sorted(), jobs: jobs) { path -> FileRewrite.Prepared? in
            guard let facts = filesByPath[path], let contents = source(path) else { return nil }
            return try? FileRewrite.prepare(bytes: contents, facts: facts).get()
        }
        let work = prepared.compactMap { $0 }.flatMap { file in byPath[file.facts.path]!.map { (file, $0) } }
        let planned = Engine.parallelMap(work, jobs: jobs) { file, finding -> (Finding, [TextEdit])? in
            guard case .success(let rewrite) = FileRewrite.plan(findings: [finding], from: file, index: index) else { return nil }
            return (finding, rewrite.edits)
        }
        return Dictionary(planned.compactMap { $0 }, uniquingKeysWith: { first, _ in first })
    }

    private static func scan(_ request: FixRequest) throws(EngineError) -> (findings: [Finding], index: ProjectIndex, errors: [FileError]) {
        let reported = try Engine.reportedPaths(request.paths, root: request.root)
        let facts = Engine.collectFacts(
            root: request.root, policy: request.policy, jobs: request.jobs, frontEnds: request.frontEnds, cache: request.cache)
        func isReported(_ path: String) -> Bool { reported?.contains { path == $0 || path.hasPrefix($0 + "/") } ?? true }
        let index = ProjectIndex(
            files: facts.files, reportedPaths: reported.map { _ in Set(facts.files.map(\.path).filter(isReported)) },
            compiledModules: facts.compiledModules, jobs: request.jobs)
        let findings = Engine.check(request.rules, on: DetectionContext(index: index, settings: request.policy.settings), jobs: request.jobs).findings
        return (findings, index, facts.errors.filter { isReported($0.path) })
    }
}
