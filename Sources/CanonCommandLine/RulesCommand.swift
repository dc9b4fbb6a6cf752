import ArgumentParser
import Canon
import Foundation

/// `canon rules`: lists every rule with its code, family, default severity and whether the policy enables it.
struct RulesCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the rules, and which the policy in force enables.")

    @OptionGroup var project: ProjectOptions

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let registry = policies.registry
        let (_, policy) = try project.load(policies: policies)
        let rows = policy.ruleListings(registry: registry)
        switch format {
        case .json:
            console.write(JSONReporter.encode(rows))
        case .text:
            let header = ["id", "code", "family", "default", "severity", "enabled"]
            let table = [header] + rows.map { [$0.id, $0.code, $0.family, $0.defaultSeverity, $0.severity, $0.enabled ? "yes" : "no"] }
            let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
            for line in table {
                let cells = line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                console.write(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n")
            }
        }
        return ExitCode32.clean
    }
}
