import CanonCore

/// A rule's setting in a policy: its severity, the options written under `rules.<id>`, and the paths it
/// covers.
public struct RuleSetting: Sendable, Hashable {
    public var severity: Severity
    /// The options mapping, `severity`, `include` and `exclude` left out, laid over the defaults layer by layer.
    public var options: ConfigNode
    /// Globs of the only paths where the rule reports (`include:` under `rules.<id>`); empty means everywhere.
    public var include: [String]
    /// Globs of paths where the rule never reports (`exclude:` under `rules.<id>`).
    public var exclude: [String]

    public init(severity: Severity, options: ConfigNode, include: [String] = [], exclude: [String] = []) {
        self.severity = severity
        self.options = options
        self.include = include
        self.exclude = exclude
    }
}

/// One entry of `overrides:`: the severity and options of some rules for the paths its `files` globs match.
/// Entries apply in order, each laid over the last, so the last match wins.
public struct PolicyOverride: Sendable, Hashable {
    /// What one override sets for one rule.
    public struct Setting: Sendable, Hashable {
        public var severity: Severity?
        /// Options laid over the rule's own for these paths, if any are given.
        public var options: ConfigNode?

        public init(severity: Severity? = nil, options: ConfigNode? = nil) {
            self.severity = severity
            self.options = options
        }
    }

    /// Globs of paths relative to the scan root; a folder glob covers what is inside.
    public var files: [String]
    /// Settings by rule id.
    public var rules: [String: Setting]
    public var mark: ConfigMark?

    public init(files: [String], rules: [String: Setting], mark: ConfigMark? = nil) {
        self.files = files
        self.rules = rules
        self.mark = mark
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
    /// The baseline file of known findings (`baseline:`), as an absolute path resolved against the folder of
    /// the policy file that names it; nil when no policy names one.
    public var baseline: String?
    /// Settings by rule id.
    public var rules: [String: RuleSetting]
    /// The project-wide declarations: concepts, deprecated modules, public APIs, roots.
    public var settings: ProjectSettings
    /// Path-scoped settings (`overrides:`), in the order they apply: those of an `extends` parent first.
    public var overrides: [PolicyOverride]
    /// The files this policy was read from, the built-in default first (as `<default>`).
    public var sources: [String]

    public init(
        include: [String], exclude: [String], maxFileSize: Int, rules: [String: RuleSetting],
        settings: ProjectSettings = ProjectSettings(), overrides: [PolicyOverride] = [], sources: [String]
    ) {
        self.overrides = overrides
        self.settings = settings
        self.include = include
        self.exclude = exclude
        self.maxFileSize = maxFileSize
        self.rules = rules
        self.sources = sources
    }

    /// The rules to run: every registered rule whose severity is not `off` (or that an override turns on for
    /// some paths), with its options decoded and its scope (`include`, `exclude`, overrides) attached. With
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
            let scope = RuleScope(
                include: setting.include.map(Glob.init), exclude: setting.exclude.map(Glob.init),
                overrides: overrides.compactMap { override in
                    override.rules[description.id].map {
                        RuleScope.Override(files: override.files.map(Glob.init), severity: $0.severity, options: $0.options)
                    }
                })
            let rule: ConfiguredRule
            do {
                rule = try ConfiguredRule(detector, severity: severity, options: setting.options, scope: scope)
            } catch {
                throw .invalidConfiguration(error)
            }
            if rule.isEnabled { result.append(rule) }
        }
        return result
    }
}
