import CanonCore

/// A rule's setting in a policy: its severity and the options written under `rules.<id>`.
public struct RuleSetting: Sendable, Hashable {
    public var severity: Severity
    /// The options mapping, `severity` left out, laid over the defaults layer by layer.
    public var options: ConfigNode

    public init(severity: Severity, options: ConfigNode) {
        self.severity = severity
        self.options = options
    }
}

/// A resolved policy: the built-in default with every layer (`extends`, then the repository's file) laid
/// over it. Every registered rule has a setting.
public struct Policy: Sendable {
    /// Globs of files to scan, relative to the scan root.
    public var include: [String]
    /// Globs of files and folders to leave out.
    public var exclude: [String]
    /// Files larger than this many bytes are skipped with a notice.
    public var maxFileSize: Int
    /// Settings by rule id.
    public var rules: [String: RuleSetting]
    /// The project-wide declarations: concepts, deprecated modules, public APIs, roots.
    public var settings: ProjectSettings
    /// The files this policy was read from, the built-in default first (as `<default>`).
    public var sources: [String]

    public init(
        include: [String], exclude: [String], maxFileSize: Int, rules: [String: RuleSetting],
        settings: ProjectSettings = ProjectSettings(), sources: [String]
    ) {
        self.settings = settings
        self.include = include
        self.exclude = exclude
        self.maxFileSize = maxFileSize
        self.rules = rules
        self.sources = sources
    }

    /// The rules to run: every registered rule whose severity is not `off`, with its options decoded. With
    /// `select`, only those rules run (a selected rule that is `off` by default runs at its default severity
    /// when that is not `off`, else as a warning); `ignore` removes rules. Both take ids or codes.
    public func configuredRules(
        registry: Registry, select: [String]? = nil, ignore: [String] = []
    ) throws(PolicyError) -> [ConfiguredRule] {
        func resolve(_ keys: [String], flag: String) throws(PolicyError) -> Set<String> {
            var ids: Set<String> = []
            for key in keys {
                guard let detector = registry.detector(for: key) else {
                    throw .unknownRule(
                        key, mark: nil, suggestion: Suggestions.closest(to: key, among: registry.keys), context: flag)
                }
                ids.insert(detector.description.id)
            }
            return ids
        }
        let selected = try select.map { keys throws(PolicyError) in try resolve(keys, flag: "--select") }
        let ignored = try resolve(ignore, flag: "--ignore")
        var result: [ConfiguredRule] = []
        for detector in registry.detectors {
            let description = detector.description
            guard !ignored.contains(description.id) else { continue }
            let setting = rules[description.id] ?? RuleSetting(severity: description.defaultSeverity, options: .emptyMapping)
            var severity = setting.severity
            if let selected {
                guard selected.contains(description.id) else { continue }
                if severity == .off {
                    severity = description.defaultSeverity == .off ? .warning : description.defaultSeverity
                }
            }
            guard severity != .off else { continue }
            do {
                result.append(try ConfiguredRule(detector, severity: severity, options: setting.options))
            } catch {
                throw .invalidConfiguration(error)
            }
        }
        return result
    }
}
