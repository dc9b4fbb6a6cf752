import ArgumentParser
import Canon
import Foundation

/// `canon fix`: rewrites the imports that rules report to their canonical path.
struct FixCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Move imports to their canonical path (the fixes of fragmented_import and deprecated_import).",
        discussion: """
            Each file is rewritten only if it still parses and binds the same names to the same objects, \
            atomically and keeping its permissions; files changed since they were read, read-only files and \
            files outside the scan root are left as they are. Exits 1 while fixable findings remain.
            """)

    @OptionGroup var project: ProjectOptions

    @OptionGroup var caching: CacheOptions

    @Option(name: .long, help: "Fix only the findings of these rules (ids or codes, comma-separated).")
    var select: String?

    @Flag(name: .long, help: "Print a unified diff of the fixes and write nothing.")
    var diff = false

    @Flag(name: .shortAndLong, help: "Print only diffs and errors: no list of unfixable findings and no summary.")
    var quiet = false

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let registry = policies.registry
        let (root, policy) = try project.load(policies: policies)
        let result: FixResult
        do {
            let rules = try policy.configuredRules(registry: registry, select: select.map(ScanCommand.split), ignore: [])
            result = try Fixer.fix(
                FixRequest(
                    root: root, paths: project.urls, policy: policy, rules: rules, jobs: try project.resolvedJobs(), write: !diff,
                    cache: caching.cache(for: root, project: project, console: console), frontEnds: registry.frontEnds))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: String(describing: error))
        }
        for error in result.errors { console.error("canon: \(error.path):\(error.line):\(error.column): cannot parse: \(error.message)") }
        for skipped in result.skipped { console.error("canon: not fixed: \(skipped.path) \(skipped.reason)") }
        if diff {
            for rewrite in result.rewrites { console.write(rewrite.diff) }
        } else if !quiet {
            for rewrite in result.rewrites {
                console.write("fixed \(rewrite.path) (\(count(rewrite.findings.count, "finding")))\n")
            }
        }
        if !quiet {
            for finding in result.unfixable {
                let range = finding.location.range
                console.write(
                    "\(finding.location.path):\(range.line):\(range.column): \(finding.rule): not fixable: \(finding.fix?.reason ?? "")\n")
            }
            let fixed = result.rewrites.reduce(0) { $0 + $1.findings.count }
            let verb = diff ? "would fix" : "fixed"
            console.error(
                "canon: \(verb) \(count(fixed, "finding")) in \(count(result.rewrites.count, "file")); "
                    + "\(result.unfixable.count) not fixable; \(result.remaining.count) fixable remaining")
        }
        return result.remaining.isEmpty ? ExitCode32.clean : ExitCode32.findings
    }

    private func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
