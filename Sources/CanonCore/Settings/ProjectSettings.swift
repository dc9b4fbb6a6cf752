/// Project-wide declarations of the policy that rules read: concepts, deprecated modules, public APIs and
/// source roots. They live at the top of the policy, beside `rules`.
public struct ProjectSettings: Sendable, Hashable {
    /// Named concepts whose consolidation is tracked (`concepts:`), sorted by name.
    public var concepts: [Concept]
    /// Modules (or symbols of modules) the team has deprecated (`deprecated:`).
    public var deprecated: [DeprecatedModule]
    /// Packages that are the public API for what they re-export (`public_api:`).
    public var publicAPI: [String]
    /// Source roots relative to the scan root (`roots:`); module names are relative to the deepest root that
    /// holds a file. Empty means the scan root, or `src/` under it.
    public var roots: [String]

    public init(concepts: [Concept] = [], deprecated: [DeprecatedModule] = [], publicAPI: [String] = [], roots: [String] = []) {
        self.concepts = concepts
        self.deprecated = deprecated
        self.publicAPI = publicAPI
        self.roots = roots
    }
}

/// One concept: a thing that should have one home, named by symbols or a pattern.
public struct Concept: Sendable, Hashable {
    public var name: String
    /// Exact symbol names that are this concept.
    public var symbols: [String]
    /// A regular expression; symbol names matching it in full are this concept.
    public var pattern: String?
    /// The module that is the concept's one home.
    public var canonical: String?
    /// The most files that may import the concept before it is a finding.
    public var maxFiles: Int?
    /// Where the concept was declared.
    public var mark: ConfigMark?

    public init(name: String, symbols: [String] = [], pattern: String? = nil, canonical: String? = nil, maxFiles: Int? = nil, mark: ConfigMark? = nil) {
        self.name = name
        self.symbols = symbols
        self.pattern = pattern
        self.canonical = canonical
        self.maxFiles = maxFiles
        self.mark = mark
    }
}

/// A module the policy marks deprecated, optionally only some of its symbols.
public struct DeprecatedModule: Sendable, Hashable {
    public var module: String
    /// The module to use instead.
    public var use: String?
    /// The deprecated symbols; empty means the whole module.
    public var symbols: [String]
    public var message: String?
    public var mark: ConfigMark?

    public init(module: String, use: String? = nil, symbols: [String] = [], message: String? = nil, mark: ConfigMark? = nil) {
        self.module = module
        self.use = use
        self.symbols = symbols
        self.message = message
        self.mark = mark
    }
}
