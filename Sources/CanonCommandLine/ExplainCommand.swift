import ArgumentParser
import Canon
import Foundation

/// `canon explain RULE`: a rule's description, rationale, options and examples.
struct ExplainCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a rule: what it finds, why, its options and examples.")

    @Argument(help: "A rule id or code, such as duplicate_definition or DUP001.")
    var rule: String

    func run(registry: Registry, console: Console) throws -> Int32 {
        guard let detector = registry.detector(for: rule) else {
            let hint = Suggestions.closest(to: rule, among: registry.keys).map { "; did you mean '\($0)'?" }
                ?? "; `canon rules` lists them"
            throw CommandFailure(message: "unknown rule '\(rule)'\(hint)")
        }
        console.write(Self.render(detector))
        return ExitCode32.clean
    }

    static func render(_ detector: any Detector.Type) -> String {
        let description = detector.description
        var out = "\(description.id) (\(description.code))\n"
        out += "\(description.summary).\n\n"
        out += "Family: \(description.family)\nDefault severity: \(description.defaultSeverity.rawValue)\n\n"
        out += description.rationale + "\n"
        let defaults = defaultOptions(detector)
        if !description.options.isEmpty {
            out += "\nOptions (under rules.\(description.id) in .canon.yml):\n"
            for option in description.options {
                let value = defaults[option.key].map { " (default: \(render($0)))" } ?? ""
                out += "  \(option.key): \(option.summary)\(value)\n"
            }
        }
        for (title, examples) in [("Triggering examples", description.triggeringExamples), ("Non-triggering examples", description.nonTriggeringExamples)] where !examples.isEmpty {
            out += "\n\(title) (↓ marks a finding):\n"
            for example in examples {
                if let policy = example.policy { out += "\n  # with policy: \(policy.replacingOccurrences(of: "\n", with: "\n  #   "))\n" }
                if let options = example.options { out += "\n  # with options: \(options)\n" }
                for file in example.files {
                    out += "\n  # \(file.path)\n"
                    out += file.source.split(separator: "\n", omittingEmptySubsequences: false).dropLast(file.source.hasSuffix("\n") ? 1 : 0)
                        .map { "  \($0)" }.joined(separator: "\n") + "\n"
                }
            }
        }
        return out
    }

    private static func defaultOptions<D: Detector>(_ type: D.Type) -> ConfigNode { D.Options.defaultNode }

    static func render(_ node: ConfigNode) -> String {
        switch node.value {
        case .scalar(.null): "null"
        case .scalar(.bool(let value)): String(value)
        case .scalar(.int(let value)): String(value)
        case .scalar(.double(let value)): String(value)
        case .scalar(.string(let value)): "'\(value)'"
        case .sequence(let items): "[" + items.map(render).joined(separator: ", ") + "]"
        case .mapping(let entries): "{" + entries.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
