import ArgumentParser
import Canon
import Foundation

/// `canon baseline`: records the current findings so that later scans report only new ones, or (with
/// `--update`) drops the entries of a baseline that no longer match anything.
struct BaselineCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record the current findings in a baseline file, so scans report only new ones.",
        discussion: """
            The baseline holds each finding's line-independent fingerprint, so it keeps matching when lines \
            move. Scans read it with --baseline FILE or the policy's 'baseline: FILE'. Inline suppressions \
            apply first: a suppressed finding is not recorded.
            """)

    @OptionGroup var project: ProjectOptions

    @OptionGroup var caching: CacheOptions

    @Option(name: .shortAndLong, help: "The baseline file to write (default: the policy's 'baseline', else .canon-baseline.json at the scan root).")
    var output: String?

    @Flag(name: .long, help: "Rewrite the existing baseline without its stale entries, adding none.")
    var update = false

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let scan = try project.scan(policies: policies, cache: { caching.cache(for: $0, project: project, console: console) })
        let file = output.map { project.absolute($0).path } ?? scan.policy.baseline
            ?? scan.root.appendingPathComponent(Baseline.defaultFileName).path
        if update {
            let old = try project.readBaseline(file)
            let stale = scan.compare(with: old).stale
            let kept = old.removing(stale)
            try writeAtomically(kept.text, to: file)
            console.error(
                "canon: dropped \(stale.count) stale \(stale.count == 1 ? "entry" : "entries") from \(file); \(kept.findings.count) remain")
        } else {
            let baseline = Baseline(findings: scan.result.findings)
            try writeAtomically(baseline.text, to: file)
            let suppressed = scan.result.suppressed.isEmpty ? "" : " (\(scan.result.suppressed.count) suppressed inline left out)"
            console.error(
                "canon: recorded \(baseline.findings.count) \(baseline.findings.count == 1 ? "finding" : "findings") in \(file)\(suppressed)")
        }
        return ExitCode32.clean
    }
}
