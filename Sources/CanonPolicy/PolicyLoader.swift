import CanonCore
import Foundation
import Yams

/// Reads policies: the built-in default embedded from `rules.yml`, a repository's `.canon.yml`, and the files
/// they `extends`, validating every key against the registry with the line it was written on.
public struct PolicyLoader: Sendable {
    /// The name of a repository's policy file at the scan root.
    public static let repositoryFileName = ".canon.yml"
    /// How the built-in default is named in messages and `extends`.
    public static let defaultName = "default"

    private static let topLevelKeys = ["version", "extends", "include", "exclude", "max_file_size", "rules"]
        + ProjectSections.keys

    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    /// The text of the built-in default policy, `rules.yml`, as embedded in the binary.
    public static var defaultPolicyText: String {
        String(decoding: PackageResources.rules_yml, as: UTF8.self)
    }

    /// The built-in default policy alone.
    public func defaultPolicy() throws(PolicyError) -> Policy {
        var policy = Policy(include: [], exclude: [], maxFileSize: 10 << 20, rules: [:], settings: ProjectSettings(), sources: [])
        try apply(text: Self.defaultPolicyText, file: "<\(Self.defaultName)>", to: &policy, chain: [])
        return policy
    }

    /// The policy for a scan rooted at `root`: the default, then `explicitFile` if given, else the root's
    /// `.canon.yml` if there is one.
    public func load(root: URL, explicitFile: URL? = nil) throws(PolicyError) -> Policy {
        var policy = try defaultPolicy()
        let candidate = explicitFile ?? root.appendingPathComponent(Self.repositoryFileName)
        guard explicitFile != nil || FileManager.default.fileExists(atPath: candidate.path) else { return policy }
        try apply(file: candidate, to: &policy, chain: [])
        return policy
    }

    /// The default with a policy given as text laid over it; `file` names it in messages and anchors a
    /// relative `extends`.
    public func load(text: String, file: String = "<policy>") throws(PolicyError) -> Policy {
        var policy = try defaultPolicy()
        try apply(text: text, file: file, to: &policy, chain: [])
        return policy
    }

    private func apply(file: URL, to policy: inout Policy, chain: [String]) throws(PolicyError) {
        let path = file.standardizedFileURL.path
        guard !chain.contains(path) else { throw .extendsCycle(chain + [path]) }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadable(file: file.path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(file: file.path, reason: "it is not UTF-8 text")
        }
        try apply(text: text, file: file.path, to: &policy, chain: chain + [path])
    }

    private func apply(text: String, file: String, to policy: inout Policy, chain: [String]) throws(PolicyError) {
        let root = try parse(text, file: file)
        guard let entries = root.entries else {
            throw .invalidConfiguration(
                .typeMismatch(path: "the policy", expected: "a mapping", found: root.kindName, mark: root.mark))
        }
        for entry in entries where !Self.topLevelKeys.contains(entry.key) {
            throw .invalidConfiguration(
                .unknownKey(entry.key, mark: entry.keyMark, context: "the policy", known: Self.topLevelKeys))
        }
        if let version = root["version"] {
            let number = try decode(Int.self, version, path: "version")
            guard number == 1 else { throw .unsupportedVersion(number, mark: version.mark) }
        }
        if let extends = root["extends"] {
            let target = try decode(String.self, extends, path: "extends")
            if target != Self.defaultName {
                let base = URL(fileURLWithPath: file).deletingLastPathComponent()
                try apply(file: URL(fileURLWithPath: target, relativeTo: base), to: &policy, chain: chain)
            }
        }
        if let include = root["include"] { policy.include = try decode([String].self, include, path: "include") }
        if let exclude = root["exclude"] { policy.exclude = try decode([String].self, exclude, path: "exclude") }
        if let size = root["max_file_size"] {
            let bytes = try decode(Int.self, size, path: "max_file_size")
            guard bytes > 0 else {
                throw .invalidConfiguration(.invalidValue(path: "max_file_size", reason: "must be positive", mark: size.mark))
            }
            policy.maxFileSize = bytes
        }
        try ProjectSections.apply(root, to: &policy.settings)
        if let rules = root["rules"] { try applyRules(rules, to: &policy) }
        policy.sources.append(file)
    }

    private func applyRules(_ node: ConfigNode, to policy: inout Policy) throws(PolicyError) {
        guard let entries = node.entries else {
            throw .invalidConfiguration(
                .typeMismatch(path: "rules", expected: "a mapping of rule ids", found: node.kindName, mark: node.mark))
        }
        for entry in entries {
            guard let detector = registry.detector(for: entry.key) else {
                throw .unknownRule(
                    entry.key, mark: entry.keyMark,
                    suggestion: Suggestions.closest(to: entry.key, among: registry.keys), context: "rules")
            }
            let description = detector.description
            var setting = policy.rules[description.id]
                ?? RuleSetting(severity: description.defaultSeverity, options: .emptyMapping)
            if case .scalar(.null) = entry.value.value {
                policy.rules[description.id] = setting
                continue
            }
            guard let fields = entry.value.entries else {
                throw .invalidConfiguration(
                    .typeMismatch(
                        path: "rules.\(entry.key)", expected: "a mapping", found: entry.value.kindName,
                        mark: entry.value.mark))
            }
            if let severity = entry.value["severity"] {
                // YAML 1.1 reads a bare `off` as false.
                let word = severity.value == .scalar(.bool(false))
                    ? "off" : try decode(String.self, severity, path: "rules.\(entry.key).severity")
                guard let parsed = Severity(rawValue: word) else {
                    throw .invalidConfiguration(
                        .invalidValue(
                            path: "rules.\(entry.key).severity",
                            reason: "is '\(word)'; use one of error, warning, note, off", mark: severity.mark))
                }
                setting.severity = parsed
            }
            let options = ConfigNode(.mapping(fields.filter { $0.key != "severity" }), mark: entry.value.mark)
            setting.options = setting.options.overlaid(with: options)
            do {
                _ = try ConfiguredRule(detector, severity: setting.severity, options: setting.options)
            } catch {
                throw .invalidConfiguration(error)
            }
            policy.rules[description.id] = setting
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ node: ConfigNode, path: String) throws(PolicyError) -> T {
        try ProjectSections.decode(type, node, path: path)
    }

    private func parse(_ text: String, file: String) throws(PolicyError) -> ConfigNode {
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw .syntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
        guard let node else { return .emptyMapping }
        return try YAMLConversion(file: file).convert(node)
    }

    private static func syntaxError(_ error: YamlError, file: String) -> PolicyError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return .syntax(file: file, line: mark.line, column: mark.column, problem: prefix + problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .syntax(
                file: file, line: context.mark.line, column: context.mark.column,
                problem: "duplicated keys \(duplicates.joined(separator: ", ")) in one mapping")
        default:
            return .syntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
    }
}
