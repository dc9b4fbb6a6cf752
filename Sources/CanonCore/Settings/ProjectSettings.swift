/// Project-wide declarations of the policy that rules read: concepts, deprecated modules, public APIs and
/// source roots. They live at the top of the policy, beside `rules`.
public struct ProjectSettings: Sendable, Hashable {
    /// Named concepts whose consolidation is tracked (`concepts:`), sorted by name.
    public var concepts: [Concept]
    /// Modules (or symbols of modules) the team has deprecated (`deprecated:`).
    public var deprecated: [DeprecatedModule]
    /// Functions whose call at module level deprecates the calling module, by qualified name
    /// (`deprecation_functions:`, e.g. `sympy.utilities.exceptions.sympy_deprecation_warning`).
    public var deprecationFunctions: [String] = []
    /// Packages that are the public API for what they re-export (`public_api:`).
    public var publicAPI: [String]
    /// Source roots relative to the scan root (`roots:`); module names are relative to the deepest root that
    /// holds a file. Empty means the scan root, or `src/` under it.
    public var roots: [String]
    /// Layered architectures to keep (`layers:`), in the order written.
    public var layerContracts: [LayersContract]
    /// Imports that must not exist (`forbidden:`), in the order written.
    public var forbiddenContracts: [ForbiddenContract]
    /// Sibling modules that must not import each other (`independence:`), in the order written.
    public var independenceContracts: [IndependenceContract]
    /// Every registered rule's id and code, each mapped to the rule's id, so that a suppression naming no rule
    /// can be reported; empty when the registry is not known (then no name is judged unknown).
    public var ruleNames: [String: String] = [:]

    public init(
        concepts: [Concept] = [], deprecated: [DeprecatedModule] = [], publicAPI: [String] = [], roots: [String] = [],
        layerContracts: [LayersContract] = [], forbiddenContracts: [ForbiddenContract] = [],
        independenceContracts: [IndependenceContract] = []
    ) {
        self.concepts = concepts
        self.deprecated = deprecated
        self.publicAPI = publicAPI
        self.roots = roots
        self.layerContracts = layerContracts
        self.forbiddenContracts = forbiddenContracts
        self.independenceContracts = independenceContracts
    }
}

/// One layer of a layers contract: one module, or several siblings at the same level (`a | b` when they must
/// not import each other, `a : b` when they may).
public struct Layer: Sendable, Hashable {
    /// A module of a layer; relative to each container when the contract has containers.
    public struct Member: Sendable, Hashable {
        public var name: String
        /// Written in parentheses: a missing module is not a problem.
        public var isOptional: Bool

        public init(name: String, isOptional: Bool = false) {
            self.name = name
            self.isOptional = isOptional
        }
    }

    public var members: [Member]
    /// Whether the members must not import each other.
    public var isIndependent: Bool
    public var mark: ConfigMark?

    public init(members: [Member], isIndependent: Bool = true, mark: ConfigMark? = nil) {
        self.members = members
        self.isIndependent = isIndependent
        self.mark = mark
    }
}

/// A layered architecture (`layers:`): a lower layer must not import a higher one, directly or through modules
/// outside the layers. With containers the same layering holds inside each container package.
public struct LayersContract: Sendable, Hashable {
    public var name: String
    /// From the highest layer to the lowest.
    public var layers: [Layer]
    /// Packages inside each of which the layering applies; empty means the layers are absolute module names.
    public var containers: [ModulePattern]
    /// Whether every child of a container must be in a layer.
    public var exhaustive: Bool
    /// Children of containers that need not be in a layer when `exhaustive` is set.
    public var exhaustiveIgnores: [String]
    /// Imports the contract lets through (`except:`).
    public var exceptions: [ImportException]
    public var mark: ConfigMark?

    public init(
        name: String, layers: [Layer], containers: [ModulePattern] = [], exhaustive: Bool = false,
        exhaustiveIgnores: [String] = [], exceptions: [ImportException] = [], mark: ConfigMark? = nil
    ) {
        self.name = name
        self.layers = layers
        self.containers = containers
        self.exhaustive = exhaustive
        self.exhaustiveIgnores = exhaustiveIgnores
        self.exceptions = exceptions
        self.mark = mark
    }
}

/// Imports that must not exist (`forbidden:`): modules matching `from` must not import modules matching `to`.
public struct ForbiddenContract: Sendable, Hashable {
    public var name: String
    /// Importers; each pattern covers the modules inside a matched package too.
    public var from: [ModulePattern]
    /// Forbidden modules, in the project or outside it (`requests`, `django.db`); packages cover their insides.
    public var to: [ModulePattern]
    public var exceptions: [ImportException]
    /// What to tell the author instead of the generic message.
    public var message: String?
    /// Whether chains through other modules count too (import-linter's default), not only direct imports.
    public var indirect: Bool
    public var mark: ConfigMark?

    public init(
        name: String, from: [ModulePattern], to: [ModulePattern], exceptions: [ImportException] = [],
        message: String? = nil, indirect: Bool = false, mark: ConfigMark? = nil
    ) {
        self.name = name
        self.from = from
        self.to = to
        self.exceptions = exceptions
        self.message = message
        self.indirect = indirect
        self.mark = mark
    }
}

/// Sibling modules that must not import each other, directly or through other modules (`independence:`).
public struct IndependenceContract: Sendable, Hashable {
    public var name: String
    /// The modules; patterns are expanded against the project's modules.
    public var modules: [ModulePattern]
    public var exceptions: [ImportException]
    public var mark: ConfigMark?

    public init(name: String, modules: [ModulePattern], exceptions: [ImportException] = [], mark: ConfigMark? = nil) {
        self.name = name
        self.modules = modules
        self.exceptions = exceptions
        self.mark = mark
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
