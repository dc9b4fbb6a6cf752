import ArgumentParser
import Canon
import Foundation

/// `canon explain RULE`: a rule's description, rationale, options and examples.
struct ExplainCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a rule: what it finds, why, its options and examples.")

    @Argument(help: "A rule id or code, such as duplicate_definition or DUP001.")
    var rule: String

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let registry = policies.registry
        guard let detector = registry.detector(for: rule) else {
            let hint = Suggestions.closest(to: rule, among: registry.keys).map { "; did you mean '\($0)'?" }
                ?? "; `canon rules` lists them"
            throw CommandFailure(message: "unknown rule '\(rule)'\(hint)")
        }
        console.write(Self.render(detector))
        return ExitCode32.clean
    }

    static func render(_ detector: any Detector.Type) -> String {
        RuleDocumentation.text(detector.description, defaults: defaultOptions(detector))
    }

    private static func defaultOptions<D: Detector>(_ type: D.Type) -> ConfigNode { D.Options.defaultNode }
}
