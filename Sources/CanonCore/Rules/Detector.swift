/// The typed options of a detector: `Codable` so they decode from the policy and encode as its defaults, with
/// every property given a default by `init()`.
public protocol DetectorOptions: Codable, Sendable, Equatable {
    init()

    /// What is wrong with these options beyond their types (an invalid regular expression, a number out of
    /// range); the policy reports each with the line it was written on. Empty by default.
    func validate() -> [OptionProblem]
}

extension DetectorOptions {
    public func validate() -> [OptionProblem] { [] }
}

/// A value of a detector option that has the right type but cannot be used.
public struct OptionProblem: Sendable, Hashable {
    /// The option's key under `rules.<id>`.
    public var key: String
    /// The index of the offending item, for list options.
    public var index: Int?
    /// What is wrong, said of the value: `must be at least 2`, `is not a valid regular expression ('(')`.
    public var reason: String

    public init(key: String, index: Int? = nil, reason: String) {
        self.key = key
        self.index = index
        self.reason = reason
    }
}

/// The options of a detector that has none.
public struct NoOptions: DetectorOptions {
    public init() {}
}

/// A rule: a value built from its options that reads the project index and reports violations.
///
/// Conforming types are small structs, one per file, whose static `description` carries the rule's identity,
/// its documentation and its examples.
public protocol Detector: Sendable {
    associatedtype Options: DetectorOptions = NoOptions

    static var description: RuleDescription { get }

    init(options: Options)

    /// Reports every violation in the project. The engine attaches the rule's id, code and severity, drops
    /// violations outside the files being reported, and sorts the result.
    func detect(in context: DetectionContext) -> [Violation]

    /// Whether the detector reads `DetectionContext.unusedAllowlistEntries`, which the engine works out (at
    /// the cost of running other rules again) only when some enabled rule needs them.
    static var readsAllowlistAudit: Bool { get }

    /// Whether the detector reads `ProjectIndex.symbols`, so the engine can start building the symbol table
    /// on another thread as soon as the rules start, rather than when this rule's turn comes.
    static var readsSymbolTable: Bool { get }

    /// Whether the detector reviews the other rules' findings before suppressions are applied
    /// (`DetectionContext.reviewedFindings`), as `unused_suppression` does; the engine runs such detectors
    /// after all others.
    static var reviewsFindings: Bool { get }

    /// The values derived from the index (`DetectionContext.derived(_:)`) that the detector reads whenever it
    /// runs. The engine starts building them on another thread while the symbol table is built, so that they
    /// are ready when the rules start: built in the rules' own time, by the first rule to ask, they held the
    /// rules that asked next waiting, and a core idle.
    static var preparedValues: [any IndexDerived.Type] { get }

    /// Whether the findings the detector reports in a file depend only on the file's own facts and on those of
    /// the modules it reaches through its imports: each module it imports and the packages above it, what
    /// those import in turn, and the modules its attribute walks reach (`import a` then `a.b.C`). After an
    /// edit, the engine then judges again only the edited files and the files that reach them, and keeps the
    /// last scan's findings of the rule everywhere else (see `Engine.LastCheck`). False by default: a detector
    /// that counts or compares across the project (import paths per symbol, definitions per name, instances
    /// per class, subclasses of a class) judges every file again.
    static var judgesThroughImports: Bool { get }

    /// The files whose findings of this detector an edit can change, in `context` (the project after the
    /// edit), given the edit's `reach`: the edited files and those whose names may now resolve differently
    /// (`ProjectIndex.filesReaching`). Nil when the findings of any file may change. The engine judges those
    /// files again and keeps the last findings elsewhere (see `Engine.LastCheck`). By default `reach` for a
    /// detector that `judgesThroughImports`, else nil; a detector that reads more than a file's names reach
    /// (a class's ancestors, say) adds the files that reads from.
    static func filesToJudge(reach: Set<String>, in context: DetectionContext) -> Set<String>?

    /// What the detector reads of `file`'s own facts, as a hash, so that after an edit the engine can tell that
    /// the rule reports what it reported before and keep its findings without running it: when each edited
    /// file hashes alike before and after the edit (see `Engine.LastCheck`). Nil, the default, when the
    /// detector does not say. The hash may read the project's files and modules (which an edit of facts leaves
    /// as they were) but no other file's facts, and nothing of what names resolve to.
    ///
    /// The contract: with the same files, options, settings and paths reported, and the other files' facts the
    /// same, an edit after which the file hashes alike changes none of the rule's findings, unless it changes
    /// what names resolve to and the rule `readsResolutions`.
    func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64?

    /// Whether the findings depend on what names resolve to (imports followed to definitions, bases to
    /// classes), beyond what `factsHash` covers: the engine then keeps the rule's findings only when the edit
    /// reaches no file but the edited ones, so that no resolution outside them changes, and the hash must cover
    /// what the edited files bind that their own resolutions read. True by default.
    static var readsResolutions: Bool { get }
}

extension Detector {
    public static var readsAllowlistAudit: Bool { false }
    public static var readsSymbolTable: Bool { false }
    public static var reviewsFindings: Bool { false }
    public static var preparedValues: [any IndexDerived.Type] { [] }
    public static var judgesThroughImports: Bool { false }

    public static func filesToJudge(reach: Set<String>, in context: DetectionContext) -> Set<String>? {
        judgesThroughImports ? reach : nil
    }

    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? { nil }
    public static var readsResolutions: Bool { true }
}

/// What a detector reads: the whole project's index and the policy's project-wide declarations.
public struct DetectionContext: Sendable {
    /// The whole project. Replacing it drops the values derived from the old one.
    public var index: ProjectIndex {
        didSet { derivedValues = DerivedValues() }
    }
    public var settings: ProjectSettings
    /// Allowlist entries of the enabled rules' options that suppress nothing; filled in by the engine only
    /// when a rule that `readsAllowlistAudit` runs.
    public var unusedAllowlistEntries: [UnusedAllowlistEntry]
    /// How to name each policy file in findings that point into it, by the file name its marks carry (a path
    /// relative to the scan root when the file is inside it). Files not listed keep the name of their marks.
    public var policyPaths: [String: String]
    /// The findings of every rule that ran before suppressions were applied, sorted; filled in by the engine
    /// only for detectors that `reviewsFindings`.
    public var reviewedFindings: [Finding]
    /// The ids and codes of the rules whose findings are in `reviewedFindings`: a suppression naming another
    /// rule cannot be judged, since that rule did not run.
    public var reviewedRules: Set<String>
    /// The values derived from `index`; a caller that keeps an index between checks (a server) can keep them
    /// too, carried over one-file changes by `DerivedValues.replacing(_:with:)`.
    private var derivedValues: DerivedValues

    public init(
        index: ProjectIndex, settings: ProjectSettings = ProjectSettings(),
        unusedAllowlistEntries: [UnusedAllowlistEntry] = [], policyPaths: [String: String] = [:],
        reviewedFindings: [Finding] = [], reviewedRules: Set<String> = [], derivedValues: DerivedValues = DerivedValues()
    ) {
        self.index = index
        self.settings = settings
        self.unusedAllowlistEntries = unusedAllowlistEntries
        self.policyPaths = policyPaths
        self.reviewedFindings = reviewedFindings
        self.reviewedRules = reviewedRules
        self.derivedValues = derivedValues
    }

    /// The `T` built from the index, built on the first request and shared by every later one (and every copy
    /// of this context), so rules running at once share one class hierarchy or name resolver.
    public func derived<T: IndexDerived>(_ type: T.Type = T.self) -> T { derivedValues.value(type, index: index) }

    /// The same context reporting findings in `paths` only (nil: every file), keeping the values derived from
    /// the index, which do not depend on what is reported.
    public func reporting(_ paths: Set<String>?) -> DetectionContext {
        DetectionContext(
            index: index.reporting(paths), settings: settings, unusedAllowlistEntries: unusedAllowlistEntries,
            policyPaths: policyPaths, reviewedFindings: reviewedFindings, reviewedRules: reviewedRules,
            derivedValues: derivedValues)
    }

    /// Builds the value of `type` derived from the index, if no rule has yet, so that `derived(_:)` finds it.
    public func prepare(_ type: any IndexDerived.Type) { _ = derived(type) }

    /// The `T` built from the index with `parameters`, shared as `derived(_:)` shares values: one per index
    /// and parameters.
    public func derived<T: ParameterizedDerived>(_ type: T.Type = T.self, parameters: T.Parameters) -> T {
        derivedValues.value(type, parameters: parameters, index: index)
    }

    /// The location of a value written in the policy, `length` code points long, for findings about the
    /// policy itself.
    public func location(of mark: ConfigMark, length: Int) -> SourceLocation {
        SourceLocation(
            path: policyPaths[mark.file] ?? mark.file,
            range: SourceRange(line: mark.line, column: mark.column, endLine: mark.line, endColumn: mark.column + length))
    }
}
