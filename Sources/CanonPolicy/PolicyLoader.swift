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

    static let topLevelKeys = [
        "version", "extends", "include", "exclude", "max_file_size", "baseline", "rules", "overrides",
    ]
        + ProjectSections.keys
    /// Keys under `rules.<id>` that are not the detector's options.
    static let ruleSettingKeys = ["severity", "include", "exclude"]

    public let registry: Registry
    /// The default policy being built on another thread, for a loader made by `preparingDefault(registry:)`.
    private let prepared: Lazy<Result<Policy, PolicyError>>?

    public init(registry: Registry) {
        self.registry = registry
        self.prepared = nil
    }

    /// A loader whose built-in default policy is built at once, on another thread; `defaultPolicy()` (and every
    /// load, which starts from it) waits for it. A command line starts it before parsing its arguments: reading
    /// `rules.yml` costs about as much as parsing them, and each held up a short scan on one core.
    public static func preparingDefault(registry: Registry) -> PolicyLoader {
        let prepared = Lazy { () -> Result<Policy, PolicyError> in
            do throws(PolicyError) {
                return .success(try PolicyLoader(registry: registry).defaultPolicy())
            } catch {
                return .failure(error)
            }
        }
        DispatchQueue.global().async { _ = prepared.value }
        return PolicyLoader(registry: registry, prepared: prepared)
    }

    private init(registry: Registry, prepared: Lazy<Result<Policy, PolicyError>>) {
        self.registry = registry
        self.prepared = prepared
    }

    /// The text of the built-in default policy, `rules.yml`, as embedded in the binary.
    public static var defaultPolicyText: String {
        String(decoding: PackageResources.rules_yml, as: UTF8.self)
    }

    /// The built-in default policy alone.
    public func defaultPolicy() throws(PolicyError) -> Policy {
        if let prepared { return try prepared.value.get() }
        var settings = ProjectSettings()
        for detector in registry.detectors {
            settings.ruleNames[detector.description.id] = detector.description.id
            settings.ruleNames[detector.description.code] = detector.description.id
        }
        var policy = Policy(include: [], exclude: [], maxFileSize: 10 << 20, rules: [:], settings: settings, sources: [])
        try apply(text: Self.defaultPolicyText, file: ConfigMark.builtInFile, to: &policy, chain: [])
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
                let parent = URL(fileURLWithPath: target, relativeTo: base).standardizedFileURL
                guard FileManager.default.fileExists(atPath: parent.path) else {
                    throw .extendsMissing(target: target, resolved: parent.path, mark: extends.mark)
                }
                try apply(file: parent, to: &policy, chain: chain)
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
        if let baseline = root["baseline"] {
            let path = try decode(String.self, baseline, path: "baseline")
            guard !path.isEmpty else {
                throw .invalidConfiguration(.invalidValue(path: "baseline", reason: "must name a file", mark: baseline.mark))
            }
            let base = URL(fileURLWithPath: file).deletingLastPathComponent()
            policy.baseline = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
        }
        try ProjectSections.apply(root, to: &policy.settings)
        // The built-in default lists every built-in rule; a registry with only some families (an embedder's)
        // takes the settings of the rules it has.
        if let rules = root["rules"] { try applyRules(rules, to: &policy, skippingUnknown: file == ConfigMark.builtInFile) }
        if let overrides = root["overrides"] { try applyOverrides(overrides, to: &policy) }
        policy.sources.append(file)
    }

    private func applyRules(_ node: ConfigNode, to policy: inout Policy, skippingUnknown: Bool) throws(PolicyError) {
        for (detector, entry) in try ruleEntries(node, path: "rules", skippingUnknown: skippingUnknown) {
            let description = detector.description
            var setting = policy.rules[description.id]
                ?? RuleSetting(severity: description.defaultSeverity, options: .emptyMapping)
            if let severity = entry.severity { setting.severity = severity }
            if let include = entry.include { setting.include = include }
            if let exclude = entry.exclude { setting.exclude = exclude }
            if let options = entry.options { setting.options = setting.options.overlaid(with: options) }
            do {
                _ = try ConfiguredRule(detector, severity: setting.severity, options: setting.options)
            } catch {
                throw .invalidConfiguration(error)
            }
            policy.rules[description.id] = setting
        }
    }

    private struct RuleEntry {
        var severity: Severity?
        var options: ConfigNode?
        var include: [String]?
        var exclude: [String]?
    }

    /// The entries of a `rules:` mapping (top level or in an override), by detector, in the order written.
    private func ruleEntries(
        _ node: ConfigNode, path: String, skippingUnknown: Bool = false
    ) throws(PolicyError) -> [(any Detector.Type, RuleEntry)] {
        guard let entries = node.entries else {
            throw .invalidConfiguration(
                .typeMismatch(path: path, expected: "a mapping of rule ids", found: node.kindName, mark: node.mark))
        }
        var result: [(any Detector.Type, RuleEntry)] = []
        for entry in entries {
            guard let detector = registry.detector(for: entry.key) else {
                if skippingUnknown { continue }
                throw .unknownRule(
                    entry.key, mark: entry.keyMark,
                    suggestion: Suggestions.closest(to: entry.key, among: registry.keys), context: path)
            }
            let place = "\(path).\(entry.key)"
            if case .scalar(.null) = entry.value.value {
                result.append((detector, RuleEntry()))
                continue
            }
            guard let fields = entry.value.entries else {
                throw .invalidConfiguration(
                    .typeMismatch(path: place, expected: "a mapping", found: entry.value.kindName, mark: entry.value.mark))
            }
            var parsed = RuleEntry()
            if let severity = entry.value["severity"] {
                // YAML 1.1 reads a bare `off` as false.
                let word = severity.value == .scalar(.bool(false))
                    ? "off" : try decode(String.self, severity, path: "\(place).severity")
                guard let value = Severity(rawValue: word) else {
                    throw .invalidConfiguration(
                        .invalidValue(
                            path: "\(place).severity", reason: "is '\(word)'; use one of error, warning, note, off",
                            mark: severity.mark))
                }
                parsed.severity = value
            }
            if let include = entry.value["include"] { parsed.include = try decode([String].self, include, path: "\(place).include") }
            if let exclude = entry.value["exclude"] { parsed.exclude = try decode([String].self, exclude, path: "\(place).exclude") }
            let options = fields.filter { !Self.ruleSettingKeys.contains($0.key) }
            if !options.isEmpty { parsed.options = ConfigNode(.mapping(options), mark: entry.value.mark) }
            result.append((detector, parsed))
        }
        return result
    }

    /// Reads `overrides:`, a list of `{files: [globs], rules: {...}}`, appending to the inherited ones.
    private func applyOverrides(_ node: ConfigNode, to policy: inout Policy) throws(PolicyError) {
        guard case .sequence(let items) = node.value else {
            throw .invalidConfiguration(.typeMismatch(path: "overrides", expected: "a list", found: node.kindName, mark: node.mark))
        }
        for (offset, item) in items.enumerated() {
            let path = "overrides[\(offset)]"
            guard let fields = item.entries else {
                throw .invalidConfiguration(.typeMismatch(path: path, expected: "a mapping with 'files' and 'rules'", found: item.kindName, mark: item.mark))
            }
            for field in fields where !["files", "rules"].contains(field.key) {
                throw .invalidConfiguration(.unknownKey(field.key, mark: field.keyMark, context: "'\(path)'", known: ["files", "rules"]))
            }
            guard let filesNode = item["files"], let rulesNode = item["rules"] else {
                throw .invalidConfiguration(.invalidValue(path: path, reason: "needs both 'files' (globs) and 'rules'", mark: item.mark))
            }
            let files = try decode([String].self, filesNode, path: "\(path).files")
            guard !files.isEmpty else {
                throw .invalidConfiguration(.invalidValue(path: "\(path).files", reason: "is empty; give at least one glob", mark: filesNode.mark))
            }
            var settings: [String: PolicyOverride.Setting] = [:]
            for (detector, entry) in try ruleEntries(rulesNode, path: "\(path).rules") {
                let id = detector.description.id
                for (key, given) in [("include", entry.include), ("exclude", entry.exclude)] where given != nil {
                    throw .invalidConfiguration(.invalidValue(
                        path: "\(path).rules.\(id).\(key)",
                        reason: "is not allowed in an override: 'files' says where the override applies; put '\(key)' under rules.\(id)",
                        mark: rulesNode.entries?.first { registry.detector(for: $0.key)?.description.id == id }?.value[key]?.mark))
                }
                if let options = entry.options {
                    do {
                        _ = try ConfiguredRule(detector, severity: .warning, options: options)
                    } catch {
                        throw .invalidConfiguration(error)
                    }
                }
                settings[id] = PolicyOverride.Setting(severity: entry.severity, options: entry.options)
            }
            policy.overrides.append(PolicyOverride(files: files, rules: settings, mark: item.mark))
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
