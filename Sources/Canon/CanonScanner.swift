import CanonCore
import CanonEngine
import CanonPolicy
import CanonReporting
import Foundation

/// Canon in a few calls, for Swift code that embeds it:
///
/// ```swift
/// import Canon
///
/// let scanner = try CanonScanner(adding: [MyTeamDetector.self])     // the built-ins and the team's own
/// let result = try scanner.scan([URL(fileURLWithPath: "path/to/project")])
/// print(TextReporter().render(result.report()))                 // or JSONReporter, or any Reporter
/// ```
///
/// A scanner holds a registry: the detectors it can run and the front ends that read files (Python and
/// Swift for the built-in registry). Policies layer on the built-in default (`rules.yml`) and are checked
/// against the registry, so a policy may configure the caller's detectors by id.
public struct CanonScanner: Sendable {
    /// The detectors and front ends this scanner uses.
    public let registry: Registry

    /// A scanner with `registry`, by default every built-in detector and front end.
    public init(registry: Registry = BuiltinRules.registry()) {
        self.registry = registry
    }

    /// A scanner with the built-ins and `detectors`; their ids and codes must not clash with the built-ins'.
    public init(adding detectors: [any Detector.Type]) throws(RegistryError) {
        self.init(registry: try BuiltinRules.registry().adding(detectors))
    }

    /// The built-in default policy alone.
    public func defaultPolicy() throws(PolicyError) -> Policy {
        try PolicyLoader(registry: registry).defaultPolicy()
    }

    /// The default policy with `text` (a `.canon.yml` document) laid over it; `file` names it in messages.
    public func policy(text: String, file: String = "<policy>") throws(PolicyError) -> Policy {
        try PolicyLoader(registry: registry).load(text: text, file: file)
    }

    /// The policy a scan of the project rooted at `root` uses: the default with `file` laid over it, or the
    /// root's `.canon.yml` when no file is given.
    public func policy(forProjectAt root: URL, file: URL? = nil) throws(PolicyError) -> Policy {
        try PolicyLoader(registry: registry).load(root: root, explicitFile: file)
    }

    /// Scans the project holding `paths` (the current folder when empty; its root is found as `canon scan` finds it: the nearest
    /// `.canon.yml`, else the git work tree, else the first path) and returns the findings in `paths`,
    /// sorted. Without a `policy`, the root's `.canon.yml` applies. `select` runs only those rules.
    public func scan(
        _ paths: [URL], policy: Policy? = nil, select: [String]? = nil,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(EngineError) -> ScanResult {
        let paths = paths.isEmpty ? [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] : paths
        let root = ScanRoot.locate(for: paths[0])
        do {
            let policy = try policy ?? self.policy(forProjectAt: root)
            let rules = try policy.configuredRules(registry: registry, select: select)
            return try Engine.scan(
                ScanRequest(root: root, paths: paths, policy: policy, rules: rules, jobs: jobs, frontEnds: registry.frontEnds))
        } catch let error as PolicyError {
            throw .policy(error)
        } catch let error as EngineError {
            throw error
        } catch {
            preconditionFailure("unexpected error: \(error)")
        }
    }

    /// Scans files held in memory, keyed by their path relative to a virtual project root (`Sources/App/A.swift`,
    /// `pkg/mod.py`), with `policy` (the default when nil).
    public func scan(files: [String: String], policy: Policy? = nil, select: [String]? = nil) throws(PolicyError) -> ScanResult {
        let policy = try resolved(policy)
        let rules = try policy.configuredRules(registry: registry, select: select)
        let sources = files.map { (path: $0.key, contents: Array($0.value.utf8)) }
        return Engine.scan(sources: sources, rules: rules, settings: policy.settings, frontEnds: registry.frontEnds)
    }
}

extension CanonScanner {
    private func resolved(_ policy: Policy?) throws(PolicyError) -> Policy {
        if let policy { return policy }
        return try defaultPolicy()
    }
}

extension ScanResult {
    /// The result as a report, for any `Reporter`.
    public func report(toolVersion: String = CanonVersion.current) -> Report {
        Report(toolVersion: toolVersion, fileCount: fileCount, findings: findings, errors: errors, skipped: skipped)
    }
}
