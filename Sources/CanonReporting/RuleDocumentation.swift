import CanonCore
import Foundation

/// A rule's documentation as `canon explain` prints it and SARIF's `help` carries it: summary, family,
/// severity, rationale, options with their defaults, and the examples (`↓` marks where a finding starts).
public enum RuleDocumentation {
    /// Plain text.
    public static func text(_ description: RuleDescription, defaults: ConfigNode) -> String {
        var out = "\(description.id) (\(description.code))\n"
        out += "\(description.summary).\n\n"
        out += "Family: \(description.family)\nDefault severity: \(description.defaultSeverity.rawValue)\n\n"
        out += description.rationale + "\n"
        if !description.options.isEmpty {
            out += "\nOptions (under rules.\(description.id) in .canon.yml):\n"
            for option in description.options {
                let value = defaults[option.key].map { " (default: \(render($0)))" } ?? ""
                out += "  \(option.key): \(option.summary)\(value)\n"
            }
        }
        for (title, examples) in sections(description) {
            out += "\n\(title) (↓ marks a finding):\n"
            for example in examples {
                if let policy = example.policy { out += "\n  # with policy: \(policy.replacingOccurrences(of: "\n", with: "\n  #   "))\n" }
                if let options = example.options { out += "\n  # with options: \(options)\n" }
                for file in example.files {
                    out += "\n  # \(file.path)\n"
                    out += lines(file.source).map { "  \($0)" }.joined(separator: "\n") + "\n"
                }
            }
        }
        return out
    }

    /// GitHub-flavoured Markdown, for SARIF's `help.markdown`.
    public static func markdown(_ description: RuleDescription, defaults: ConfigNode) -> String {
        var out = "# \(description.id) (\(description.code))\n\n"
        out += "\(description.summary).\n\n"
        out += "Family: `\(description.family)`. Default severity: `\(description.defaultSeverity.rawValue)`.\n\n"
        out += description.rationale + "\n"
        if !description.options.isEmpty {
            out += "\n## Options\n\nUnder `rules.\(description.id)` in `.canon.yml`:\n\n| option | meaning | default |\n| --- | --- | --- |\n"
            for option in description.options {
                let value = defaults[option.key].map { "`\(render($0))`" } ?? ""
                out += "| `\(option.key)` | \(option.summary.replacingOccurrences(of: "|", with: "\\|")) | \(value) |\n"
            }
        }
        for (title, examples) in sections(description) {
            out += "\n## \(title)\n\n`↓` marks where a finding starts.\n"
            for example in examples {
                if let policy = example.policy { out += "\nWith policy:\n\n```yaml\n\(policy)\n```\n" }
                if let options = example.options { out += "\nWith options `\(options)`:\n" }
                for file in example.files {
                    out += "\n`\(file.path)`:\n\n```python\n" + lines(file.source).joined(separator: "\n") + "\n```\n"
                }
            }
        }
        return out
    }

    /// A configuration value as YAML flow syntax: `['a', 'b']`, `{k: 1}`, `true`.
    public static func render(_ node: ConfigNode) -> String {
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

    private static func sections(_ description: RuleDescription) -> [(String, [Example])] {
        [("Triggering examples", description.triggeringExamples), ("Non-triggering examples", description.nonTriggeringExamples)]
            .filter { !$0.1.isEmpty }
    }

    private static func lines(_ source: String) -> ArraySlice<Substring> {
        source.split(separator: "\n", omittingEmptySubsequences: false).dropLast(source.hasSuffix("\n") ? 1 : 0)
    }
}
