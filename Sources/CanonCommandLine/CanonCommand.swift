import ArgumentParser
import Canon

/// `canon`: finds the places where a codebase has more than one source of truth.
struct CanonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canon",
        abstract: "Find the places where a codebase has more than one source of truth.",
        version: CanonVersion.current,
        subcommands: [
            ScanCommand.self, RulesCommand.self, ExplainCommand.self, FactsCommand.self, CheckPolicyCommand.self,
            ReportCommand.self, ServeCommand.self, FixCommand.self, BaselineCommand.self,
        ])
}
