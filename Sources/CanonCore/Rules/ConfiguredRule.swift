/// A detector built from its options, with the severity the policy gives it and where it applies: what the
/// engine runs.
///
/// Detectors know nothing of paths: a rule's `include`/`exclude` globs and the policy's path-scoped overrides
/// are applied here, to each violation by the path it points at. A violation is kept when its path is in the
/// rule's scope, judged with the severity and options in force there, and dropped where the rule is `off`.
public struct ConfiguredRule: Sendable {
    public let description: RuleDescription
    /// The severity outside any override.
    public let severity: Severity
    /// The detector's default options, as `rules.yml` spells them, for documentation.
    public let defaultOptions: ConfigNode
    /// The options outside any override, as a mapping laid over the defaults.
    public let options: ConfigNode
    public let scope: RuleScope
    /// Whether the detector reads `DetectionContext.unusedAllowlistEntries`, so the engine must work them out.
    public let readsAllowlistAudit: Bool
    /// Whether the detector reads the index's symbol table.
    public let readsSymbolTable: Bool
    /// Whether the detector reads `DetectionContext.reviewedFindings`, so the engine runs it after the others.
    public let reviewsFindings: Bool
    /// The values derived from the index that the detector reads whenever it runs (`Detector.preparedValues`).
    public let preparedValues: [any IndexDerived.Type]
    /// Whether the findings depend on what names resolve to beyond the facts hash (`Detector.readsResolutions`).
    public let readsResolutions: Bool
    private let judging: @Sendable (_ reach: Set<String>, _ context: DetectionContext) -> Set<String>?
    private let hashing: Hashing?
    private let build: @Sendable (ConfigNode) throws(ConfigError) -> Runner
    private let run: Runner

    typealias Runner = @Sendable (DetectionContext) -> [Violation]
    typealias Hashing = @Sendable (_ file: FileFacts, _ context: DetectionContext) -> UInt64?

    /// Decodes the options for `type` from `options` (a mapping written under `rules.<id>`, without
    /// `severity`, `include` and `exclude`) and builds the detector. Options of the scope's overrides are
    /// decoded too, so a bad one fails here rather than during a scan.
    public init<D: Detector>(
        _ type: D.Type, severity: Severity, options: ConfigNode, scope: RuleScope = RuleScope()
    ) throws(ConfigError) {
        let build: @Sendable (ConfigNode) throws(ConfigError) -> Runner = { node throws(ConfigError) in
            let detector = D(options: try D.Options.decode(from: node, rule: D.description.id))
            return { detector.detect(in: $0) }
        }
        self.description = D.description
        self.severity = severity
        self.defaultOptions = D.Options.defaultNode
        self.options = options
        self.scope = scope
        self.readsAllowlistAudit = D.readsAllowlistAudit
        self.readsSymbolTable = D.readsSymbolTable
        self.reviewsFindings = D.reviewsFindings
        self.preparedValues = D.preparedValues
        self.readsResolutions = D.readsResolutions
        self.judging = { D.filesToJudge(reach: $0, in: $1) }
        self.build = build
        let detector = D(options: try D.Options.decode(from: options, rule: D.description.id))
        self.run = { detector.detect(in: $0) }
        // Overrides with options of their own run other detectors on some files, which the base options' hashes
        // do not speak for.
        if scope.overrides.allSatisfy({ $0.options == nil }) {
            self.hashing = { file, context in detector.factsHash(of: file, in: context) }
        } else {
            self.hashing = nil
        }
        for override in scope.overrides {
            if let more = override.options { _ = try build(options.overlaid(with: more)) }
        }
    }

    /// Whether the rule can report anywhere: its base severity or an override's is not `off`.
    public var isEnabled: Bool {
        severity != .off || scope.overrides.contains { ($0.severity ?? .off) != .off }
    }

    /// Runs the detector and turns its violations into findings with this rule's identity and the severity in
    /// force at each violation's path, keeping only those in reported files and in the rule's scope.
    public func findings(in context: DetectionContext) -> [Finding] {
        var runs: [(options: ConfigNode, violations: [Violation])] = [(options, run(context))]
        if scope.overrides.contains(where: { $0.options != nil }) {
            for file in context.index.files {
                guard let setting = scope.setting(for: file.path, severity: severity, options: options),
                    setting.severity != .off, !runs.contains(where: { $0.options == setting.options }),
                    let runner = try? build(setting.options)
                else { continue }
                runs.append((setting.options, runner(context)))
            }
        }
        var findings: [Finding] = []
        for (offset, current) in runs.enumerated() {
            for violation in current.violations {
                let path = violation.location.path
                guard context.index.isReported(path),
                    let setting = scope.setting(for: path, severity: severity, options: options),
                    setting.severity != .off,
                    (runs.firstIndex { $0.options == setting.options } ?? 0) == offset
                else { continue }
                findings.append(
                    Finding(
                        rule: description.id, code: description.code,
                        severity: violation.severityOverride ?? setting.severity, location: violation.location,
                        message: violation.message, subject: violation.subject,
                        related: violation.related.sorted { $0.location < $1.location }, fix: violation.fix))
            }
        }
        return findings
    }

    /// The files whose findings of this rule an edit with that `reach` can change (`Detector.filesToJudge`); nil
    /// for every file.
    public func filesToJudge(reach: Set<String>, in context: DetectionContext) -> Set<String>? {
        judging(reach, context)
    }

    /// What the rule reads of `file`'s own facts, as a hash (`Detector.factsHash`); nil when the detector does
    /// not say, or overrides give some files options of their own.
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? {
        hashing?(file, context)
    }

    /// The option keys whose string items are allowlist entries that the audit checks.
    public static let allowlistKeys = ["ignore_names", "ignore_symbols", "allow"]

    /// The allowlist entries of this rule's options (`ignore_names`, `ignore_symbols`, `allow`) written in a
    /// policy file that suppress nothing: the rule reports exactly the same without each one. Entries of the
    /// built-in default policy and of overrides are not judged.
    public func unusedAllowlistEntries(in context: DetectionContext) -> [UnusedAllowlistEntry] {
        guard let entries = options.entries else { return [] }
        var baseline: Set<Violation>?
        var unused: [UnusedAllowlistEntry] = []
        for (offset, entry) in entries.enumerated() where Self.allowlistKeys.contains(entry.key) {
            guard case .sequence(let items) = entry.value.value else { continue }
            for (position, item) in items.enumerated() {
                guard case .scalar(.string(let text)) = item.value, let mark = item.mark,
                    mark.file != ConfigMark.builtInFile
                else { continue }
                var fewer = items
                fewer.remove(at: position)
                var trimmed = entries
                trimmed[offset].value = ConfigNode(.sequence(fewer), mark: entry.value.mark)
                guard let runner = try? build(ConfigNode(.mapping(trimmed), mark: options.mark)) else { continue }
                let current = baseline ?? Set(run(context))
                baseline = current
                if Set(runner(context)) == current {
                    unused.append(UnusedAllowlistEntry(rule: description.id, key: entry.key, value: text, mark: mark))
                }
            }
        }
        return unused
    }
}

/// Where a rule applies: its own `include`/`exclude` globs, then path-scoped overrides of its severity and
/// options, each laid over the last where its globs match (the last match wins).
public struct RuleScope: Sendable, Hashable {
    /// One `overrides:` entry as it touches one rule.
    public struct Override: Sendable, Hashable {
        /// Globs of paths relative to the scan root; a folder glob covers what is inside.
        public var files: [Glob]
        /// The severity there, if the override sets one.
        public var severity: Severity?
        /// Options laid over the rule's there, if the override sets any.
        public var options: ConfigNode?

        public init(files: [Glob], severity: Severity? = nil, options: ConfigNode? = nil) {
            self.files = files
            self.severity = severity
            self.options = options
        }

        public func matches(_ path: String) -> Bool { Glob.anyMatchesPathOrAncestor(files, path: path) }
    }

    /// Globs of the only paths where the rule reports; empty means everywhere.
    public var include: [Glob]
    /// Globs of paths where the rule never reports.
    public var exclude: [Glob]
    public var overrides: [Override]

    public init(include: [Glob] = [], exclude: [Glob] = [], overrides: [Override] = []) {
        self.include = include
        self.exclude = exclude
        self.overrides = overrides
    }

    /// The severity and options in force at `path`, or nil when the path is outside the rule's scope.
    public func setting(
        for path: String, severity: Severity, options: ConfigNode
    ) -> (severity: Severity, options: ConfigNode)? {
        if !include.isEmpty && !Glob.anyMatchesPathOrAncestor(include, path: path) { return nil }
        if Glob.anyMatchesPathOrAncestor(exclude, path: path) { return nil }
        var result = (severity: severity, options: options)
        for override in overrides where override.matches(path) {
            if let severity = override.severity { result.severity = severity }
            if let more = override.options { result.options = result.options.overlaid(with: more) }
        }
        return result
    }
}

/// An allowlist entry of a rule's options that suppressed nothing in a scan.
public struct UnusedAllowlistEntry: Sendable, Hashable {
    public var rule: String
    /// The option key (`ignore_names`, ...).
    public var key: String
    public var value: String
    /// Where the entry was written.
    public var mark: ConfigMark

    public init(rule: String, key: String, value: String, mark: ConfigMark) {
        self.rule = rule
        self.key = key
        self.value = value
        self.mark = mark
    }
}
