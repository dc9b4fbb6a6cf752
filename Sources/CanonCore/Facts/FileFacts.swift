import Foundation
import Synchronization

/// The source language of a scanned file.
public enum SourceLanguage: String, Sendable, Codable, Hashable {
    case python
    case swift
}

/// Everything a front end extracts from one source file. Facts depend only on the file's bytes, its path and
/// its module name, never on the policy, so they can be cached by content.
///
/// What only a few rules read of a file, the facts inside and about its functions and classes (`functions`,
/// `classAttributes`, `mutations`, `memberMutations`: its `Details`), may be held undecoded (`DeferredDetails`)
/// by facts read back from a cache, and decoded when first read: after an edit, the project is indexed again
/// but the rules that run judge a few files. The index reads of them only `topLevelFunctions` and
/// `globalsAssigned`, which such facts hold decoded.
public struct FileFacts: Sendable, Hashable, Codable {
    /// The stored facts, kept in a `CopyOnWrite` box: facts are copied wherever files are listed, by every rule
    /// and pass of the index (100,000 copies in a cold scan of the shared corpora).
    @usableFromInline struct Fields: Sendable {
        @usableFromInline var path: String
        @usableFromInline var module: String
        @usableFromInline var isPackage: Bool
        @usableFromInline var language: SourceLanguage
        @usableFromInline var isStub: Bool
        @usableFromInline var imports: [ImportFact] = []
        @usableFromInline var classes: [ClassFact] = []
        @usableFromInline var assignments: [AssignmentFact] = []
        @usableFromInline var dunderAll: [String]? = nil
        @usableFromInline var deprecations: [DeprecationFact] = []
        @usableFromInline var deprecatedDeclarations: [DeprecatedDeclarationFact] = []
        @usableFromInline var moduleGetattr: ModuleGetattrFact? = nil
        @usableFromInline var attributeUses: [AttributeUseFact] = []
        @usableFromInline var suppressions: [SuppressionFact] = []
        @usableFromInline var moduleCalls: [NameSite] = []
        /// The details, when they are held here; empty while `deferred` holds them.
        @usableFromInline var details = Details()
        /// The details not yet decoded, with what the index reads of them; nil when `details` holds them.
        @usableFromInline var deferred: DeferredDetails?

        @usableFromInline mutating func decodeDetails() {
            guard let held = deferred else { return }
            details = held.details
            deferred = nil
        }
    }

    @usableFromInline var box: CopyOnWrite<Fields>

    /// The fields, to change: copied first if another value shares them.
    @inlinable var unique: Fields {
        @inline(__always) _read { yield box.value }
        _modify { yield &CopyOnWrite.unique(&box).value }
    }

    /// The path relative to the scan root, `/`-separated.
    @inlinable public var path: String {
        @inline(__always) get { box.value.path }
        _modify { yield &unique.path }
    }
    /// The dotted module name (`pkg.sub.mod`; `pkg` for `pkg/__init__.py`).
    @inlinable public var module: String {
        @inline(__always) get { box.value.module }
        _modify { yield &unique.module }
    }
    /// Whether the file is a package's `__init__`.
    @inlinable public var isPackage: Bool {
        @inline(__always) get { box.value.isPackage }
        _modify { yield &unique.isPackage }
    }
    /// The language the file is written in.
    @inlinable public var language: SourceLanguage {
        @inline(__always) get { box.value.language }
        _modify { yield &unique.language }
    }
    /// Whether the file is a type stub (`.pyi`).
    @inlinable public var isStub: Bool {
        @inline(__always) get { box.value.isStub }
        _modify { yield &unique.isStub }
    }
    /// Every import, in source order.
    @inlinable public var imports: [ImportFact] {
        @inline(__always) get { box.value.imports }
        _modify { yield &unique.imports }
    }
    /// Every type declaration (a Python class), at any depth, in source order.
    @inlinable public var classes: [ClassFact] {
        @inline(__always) get { box.value.classes }
        _modify { yield &unique.classes }
    }
    /// Module-level assignments, in source order.
    @inlinable public var assignments: [AssignmentFact] {
        @inline(__always) get { box.value.assignments }
        _modify { yield &unique.assignments }
    }
    /// The names in a literal module-level `__all__` (including `+=`, `.append` and `.extend` of literals), or
    /// nil when the module defines none.
    @inlinable public var dunderAll: [String]? {
        @inline(__always) get { box.value.dunderAll }
        _modify { yield &unique.dunderAll }
    }
    /// Module-level deprecation warnings, direct or through one call of a module-level function.
    @inlinable public var deprecations: [DeprecationFact] {
        @inline(__always) get { box.value.deprecations }
        _modify { yield &unique.deprecations }
    }
    /// Declarations marked deprecated where they are declared (Swift's `@available(..., deprecated...)`).
    @inlinable public var deprecatedDeclarations: [DeprecatedDeclarationFact] {
        @inline(__always) get { box.value.deprecatedDeclarations }
        _modify { yield &unique.deprecatedDeclarations }
    }
    /// A PEP 562 module-level `__getattr__`, if any.
    @inlinable public var moduleGetattr: ModuleGetattrFact? {
        @inline(__always) get { box.value.moduleGetattr }
        _modify { yield &unique.moduleGetattr }
    }
    /// Dotted attribute chains read from names bound by a plain `import` (`m.Name` after `import a.b as m`).
    @inlinable public var attributeUses: [AttributeUseFact] {
        @inline(__always) get { box.value.attributeUses }
        _modify { yield &unique.attributeUses }
    }
    /// The `# canon: ignore[...]` and `# canon: ignore-file[...]` comments, in source order.
    @inlinable public var suppressions: [SuppressionFact] {
        @inline(__always) get { box.value.suppressions }
        _modify { yield &unique.suppressions }
    }
    /// Functions called by name in statements that run on import (`sympy_deprecation_warning(...)` at module
    /// level), the first call of each name, for the policy's `deprecation_functions`.
    @inlinable public var moduleCalls: [NameSite] {
        @inline(__always) get { box.value.moduleCalls }
        _modify { yield &unique.moduleCalls }
    }
    /// Every function and method, at any depth, in source order.
    @inlinable public var functions: [FunctionFact] {
        @inline(__always) get { box.value.deferred?.details.functions ?? box.value.details.functions }
        _modify { yield &decodedDetails.functions }
    }
    @inlinable public var classAttributes: [ClassAttributeFact] {
        @inline(__always) get { box.value.deferred?.details.classAttributes ?? box.value.details.classAttributes }
        _modify { yield &decodedDetails.classAttributes }
    }
    /// Mutations of names that may be module-level (`X[k] = v`, `del X[k]`, `X.append(...)`).
    @inlinable public var mutations: [MutationFact] {
        @inline(__always) get { box.value.deferred?.details.mutations ?? box.value.details.mutations }
        _modify { yield &decodedDetails.mutations }
    }
    /// Mutations through `self.` or `cls.` inside methods.
    @inlinable public var memberMutations: [MemberMutationFact] {
        @inline(__always) get { box.value.deferred?.details.memberMutations ?? box.value.details.memberMutations }
        _modify { yield &decodedDetails.memberMutations }
    }

    /// The details held here, decoded first if they were deferred: for a change.
    @inlinable var decodedDetails: Details {
        _read { yield box.value.deferred?.details ?? box.value.details }
        _modify {
            unique.decodeDetails()
            yield &unique.details
        }
    }

    public init(path: String, module: String, isPackage: Bool, language: SourceLanguage, isStub: Bool = false) {
        box = CopyOnWrite(Fields(path: path, module: module, isPackage: isPackage, language: language, isStub: isStub))
    }

    /// The facts inside and about a file's functions and classes, which only a few rules read.
    public struct Details: Sendable, Hashable {
        public var functions: [FunctionFact]
        public var classAttributes: [ClassAttributeFact]
        public var mutations: [MutationFact]
        public var memberMutations: [MemberMutationFact]

        public init(
            functions: [FunctionFact] = [], classAttributes: [ClassAttributeFact] = [], mutations: [MutationFact] = [],
            memberMutations: [MemberMutationFact] = []
        ) {
            self.functions = functions
            self.classAttributes = classAttributes
            self.mutations = mutations
            self.memberMutations = memberMutations
        }

        /// The names a function declares `global` and assigns in its own body, each once, sorted.
        public var globalsAssigned: [String] {
            var names: Set<String> = []
            // By index, so that functions with no `global` statement (nearly all) are not copied.
            for k in functions.indices where !functions[k].globals.isEmpty {
                let assigned = Set(functions[k].assignedNames.map(\.name))
                for global in functions[k].globals where assigned.contains(global.name) { names.insert(global.name) }
            }
            return names.sorted()
        }
    }

    /// The module-level functions (those of `functions` at the top level), each with its index in `functions`;
    /// read without decoding deferred details.
    public var topLevelFunctions: [TopLevelFunction] {
        if let deferred = box.value.deferred { return deferred.topLevelFunctions }
        var found: [TopLevelFunction] = []
        forEachTopLevelFunction { found.append(TopLevelFunction(index: $0, name: $1, range: $2)) }
        return found
    }

    /// How many module-level functions there are; read without decoding deferred details.
    public var topLevelFunctionCount: Int {
        if let deferred = box.value.deferred { return deferred.topLevelFunctions.count }
        var count = 0
        let functions = box.value.details.functions
        for k in functions.indices where functions[k].isTopLevel { count += 1 }
        return count
    }

    /// Each module-level function's index in `functions`, name and range, in order, read in place (no list made,
    /// as `topLevelFunctions` makes for facts that hold their details): for the index, which asks of every file.
    public func forEachTopLevelFunction(_ body: (_ index: Int, _ name: String, _ range: SourceRange) -> Void) {
        if let deferred = box.value.deferred {
            for function in deferred.topLevelFunctions { body(function.index, function.name, function.range) }
            return
        }
        let functions = box.value.details.functions
        for k in functions.indices where functions[k].isTopLevel { body(k, functions[k].name, functions[k].range) }
    }

    /// The names some function declares `global` and assigns in its own body (bound at run time, invisibly),
    /// each once, sorted; read without decoding deferred details.
    public var globalsAssigned: [String] { box.value.deferred?.globalsAssigned ?? box.value.details.globalsAssigned }

    /// Whether the details are held undecoded (for tests of what reads them).
    public var detailsAreDeferred: Bool { box.value.deferred != nil }

    public static func == (lhs: FileFacts, rhs: FileFacts) -> Bool {
        lhs.box === rhs.box || lhs.path == rhs.path && lhs.module == rhs.module && lhs.isPackage == rhs.isPackage && lhs.language == rhs.language
            && lhs.isStub == rhs.isStub && lhs.imports == rhs.imports && lhs.classes == rhs.classes
            && lhs.assignments == rhs.assignments && lhs.dunderAll == rhs.dunderAll && lhs.deprecations == rhs.deprecations
            && lhs.deprecatedDeclarations == rhs.deprecatedDeclarations && lhs.moduleGetattr == rhs.moduleGetattr
            && lhs.attributeUses == rhs.attributeUses && lhs.suppressions == rhs.suppressions
            && lhs.moduleCalls == rhs.moduleCalls && lhs.allDetails == rhs.allDetails
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(module)
        hasher.combine(isPackage)
        hasher.combine(language)
        hasher.combine(isStub)
        hasher.combine(imports)
        hasher.combine(classes)
        hasher.combine(assignments)
        hasher.combine(dunderAll)
        hasher.combine(deprecations)
        hasher.combine(deprecatedDeclarations)
        hasher.combine(moduleGetattr)
        hasher.combine(attributeUses)
        hasher.combine(suppressions)
        hasher.combine(moduleCalls)
        hasher.combine(allDetails)
    }

    /// The details, decoded if they were deferred; set, they are held here.
    public var allDetails: Details {
        get { box.value.deferred?.details ?? box.value.details }
        set {
            unique.details = newValue
            unique.deferred = nil
        }
    }

    /// Leaves the details to `deferred`, which decodes them when they are first read.
    public mutating func deferDetails(to deferred: DeferredDetails) {
        unique.details = Details()
        unique.deferred = deferred
    }

    private enum CodingKeys: String, CodingKey {
        case path, module, isPackage, language, isStub, imports, classes, functions, assignments, classAttributes
        case dunderAll, deprecations, deprecatedDeclarations, moduleGetattr, attributeUses, mutations, memberMutations
        case suppressions, moduleCalls
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            path: try c.decode(String.self, forKey: .path), module: try c.decode(String.self, forKey: .module),
            isPackage: try c.decode(Bool.self, forKey: .isPackage), language: try c.decode(SourceLanguage.self, forKey: .language),
            isStub: try c.decode(Bool.self, forKey: .isStub))
        imports = try c.decode([ImportFact].self, forKey: .imports)
        classes = try c.decode([ClassFact].self, forKey: .classes)
        var details = Details()
        details.functions = try c.decode([FunctionFact].self, forKey: .functions)
        assignments = try c.decode([AssignmentFact].self, forKey: .assignments)
        details.classAttributes = try c.decode([ClassAttributeFact].self, forKey: .classAttributes)
        dunderAll = try c.decodeIfPresent([String].self, forKey: .dunderAll)
        deprecations = try c.decode([DeprecationFact].self, forKey: .deprecations)
        deprecatedDeclarations = try c.decode([DeprecatedDeclarationFact].self, forKey: .deprecatedDeclarations)
        moduleGetattr = try c.decodeIfPresent(ModuleGetattrFact.self, forKey: .moduleGetattr)
        attributeUses = try c.decode([AttributeUseFact].self, forKey: .attributeUses)
        details.mutations = try c.decode([MutationFact].self, forKey: .mutations)
        details.memberMutations = try c.decode([MemberMutationFact].self, forKey: .memberMutations)
        suppressions = try c.decode([SuppressionFact].self, forKey: .suppressions)
        moduleCalls = try c.decode([NameSite].self, forKey: .moduleCalls)
        allDetails = details
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let details = allDetails
        try c.encode(path, forKey: .path)
        try c.encode(module, forKey: .module)
        try c.encode(isPackage, forKey: .isPackage)
        try c.encode(language, forKey: .language)
        try c.encode(isStub, forKey: .isStub)
        try c.encode(imports, forKey: .imports)
        try c.encode(classes, forKey: .classes)
        try c.encode(details.functions, forKey: .functions)
        try c.encode(assignments, forKey: .assignments)
        try c.encode(details.classAttributes, forKey: .classAttributes)
        try c.encodeIfPresent(dunderAll, forKey: .dunderAll)
        try c.encode(deprecations, forKey: .deprecations)
        try c.encode(deprecatedDeclarations, forKey: .deprecatedDeclarations)
        try c.encodeIfPresent(moduleGetattr, forKey: .moduleGetattr)
        try c.encode(attributeUses, forKey: .attributeUses)
        try c.encode(details.mutations, forKey: .mutations)
        try c.encode(details.memberMutations, forKey: .memberMutations)
        try c.encode(suppressions, forKey: .suppressions)
        try c.encode(moduleCalls, forKey: .moduleCalls)
    }
}

/// A module-level function as the index reads it: its name, its range (from `def` to the end of the name) and
/// its index in `FileFacts.functions`.
public struct TopLevelFunction: Sendable, Hashable {
    public var index: Int
    public var name: String
    public var range: SourceRange

    public init(index: Int, name: String, range: SourceRange) {
        self.index = index
        self.name = name
        self.range = range
    }
}

/// A file's `FileFacts.Details` not yet decoded (held by facts read back from a cache), with what the index
/// reads of them decoded: decoded on first read, once, by the first thread to ask; threads asking meanwhile
/// wait for it.
public final class DeferredDetails: @unchecked Sendable {
    // Sendable is sound: `decoded` is written once, under `lock`, before `isDecoded` is stored with releasing
    // order, and read without the lock only after `isDecoded` is loaded as true with acquiring order; `decode`
    // is Sendable and only called under `lock`.
    /// The module-level functions, each with its index in the details' functions.
    public let topLevelFunctions: [TopLevelFunction]
    /// The names a function declares `global` and assigns in its own body, each once, sorted.
    public let globalsAssigned: [String]
    private let decode: @Sendable () -> FileFacts.Details
    private let isDecoded = Atomic<Bool>(false)
    private let lock = NSLock()
    private var decoded = FileFacts.Details()

    /// `decode` gives the details (and must give the same each time); `topLevelFunctions` and `globalsAssigned`
    /// must be theirs.
    public init(
        topLevelFunctions: [TopLevelFunction], globalsAssigned: [String], decode: @escaping @Sendable () -> FileFacts.Details
    ) {
        self.topLevelFunctions = topLevelFunctions
        self.globalsAssigned = globalsAssigned
        self.decode = decode
    }

    /// The details, decoded by the first read.
    public var details: FileFacts.Details {
        if isDecoded.load(ordering: .acquiring) { return decoded }
        lock.lock()
        defer { lock.unlock() }
        if !isDecoded.load(ordering: .relaxed) {
            decoded = decode()
            isDecoded.store(true, ordering: .releasing)
        }
        return decoded
    }
}

/// Where an import sits, which decides whether it runs when the module is imported.
public enum ImportKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// At module or class level, run on import.
    case runtime
    /// Under `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`), never run.
    case typeChecking = "type_checking"
    /// Inside a function or method body (at any depth), run when called.
    case function
    /// In the body or a handler of a `try` that catches `ImportError` or `ModuleNotFoundError`.
    case fallback

    /// Hashes the case, not its raw value: a raw-valued enum otherwise hashes its string, and rules ask sets
    /// of kinds about every import.
    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

    /// What `Set` and `Dictionary` ask for: the case spread with their seed, without a `Hasher`, which cost a
    /// hundred-odd instructions for each of the imports rules look up in a set of kinds.
    public func _rawHashValue(seed: Int) -> Int { NameHash.finish(UInt64(ordinal), seed: seed) }

    private var ordinal: UInt8 {
        switch self {
        case .runtime: 0
        case .typeChecking: 1
        case .function: 2
        case .fallback: 3
        }
    }
}

/// One imported name: `import a.b as c` gives one, `from m import x, y` gives two.
public struct ImportFact: Sendable, Hashable, Codable {
    public enum Form: String, Sendable, Codable, Hashable {
        /// `import a.b [as c]`
        case plain = "import"
        /// `from m import x [as y]`, `from . import x`, `from m import *`
        case from
    }

    public var form: Form
    /// The absolute module: relative levels resolved against the importing module. A relative import that
    /// climbs above the top package keeps its leading dots.
    public var module: String
    /// The module as written, without leading dots (`""` for `from . import x`).
    public var writtenModule: String
    /// The number of leading dots (0 for an absolute import).
    public var level: Int
    /// The imported name for `from` imports (`*` for a star import); nil for plain imports.
    public var name: String?
    /// The `as` name, if any.
    public var alias: String?
    public var kind: ImportKind
    /// The range of this alias clause (`x as y`, `a.b`, `*`).
    public var range: SourceRange
    /// The range of the whole import statement.
    public var statementRange: SourceRange
    /// The import's attributes without the `@` (Swift: `testable`, `_exported`, `_implementationOnly`,
    /// `preconcurrency`); empty for Python.
    public var attributes: [String]

    public init(
        form: Form, module: String, writtenModule: String, level: Int, name: String?, alias: String?,
        kind: ImportKind, range: SourceRange, statementRange: SourceRange, attributes: [String] = []
    ) {
        self.form = form
        self.module = module
        self.writtenModule = writtenModule
        self.level = level
        self.name = name
        self.alias = alias
        self.kind = kind
        self.range = range
        self.statementRange = statementRange
        self.attributes = attributes
    }

    /// Whether the import makes the imported module part of the importing one's interface, so that importing
    /// the importer gives the imported names too (Swift's `@_exported import`).
    public var isReexport: Bool { attributes.contains("_exported") }

    /// Whether this is a star import (`from m import *`).
    public var isStar: Bool { name == "*" }

    /// The local name this import binds (`c` for `import a.b as c`, `a` for `import a.b`, `y` for
    /// `from m import x as y`); nil for a star import.
    public var boundName: String? {
        if let alias { return alias }
        switch form {
        case .plain:
            // A name that starts with a dot is not one a plain import can bind, and goes the slow way.
            let top = DottedName.top(of: module)
            if !top.isEmpty { return top }
            return module.split(separator: ".", maxSplits: 1).first.map(String.init) ?? module
        case .from: return name == "*" ? nil : name
        }
    }
}

/// What a type declaration declares.
public enum TypeKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// A Python class, or a Swift `class`.
    case `class`
    case `struct`
    case `enum`
    /// A Swift `protocol` (a Python `Protocol` is a class).
    case `protocol`
    case actor
    /// A Swift `typealias`: a second name for a type declared elsewhere, not a definition.
    case `typealias`
}

/// A type declaration at any depth: a Python class statement; a Swift class, struct, enum, protocol, actor or
/// typealias.
public struct ClassFact: Sendable, Hashable, Codable {
    public var name: String
    /// The qualified name as Python's `__qualname__` spells it: `Outer.Inner`, `func.<locals>.C`. A Swift type
    /// declared in an extension is qualified by the extended type (`Outer.Inner`).
    public var qualifiedName: String
    /// Each base expression's source text with white space folded (`typing.Generic[T]`); keyword arguments such
    /// as `metaclass=M` are in `keywords`. For Swift, the inheritance clause's types, or a typealias's aliased
    /// type.
    public var bases: [String]
    /// `name=value` keyword arguments of the class statement, value text with white space folded.
    public var keywords: [String]
    /// Each decorator's expression text without the `@`, white space folded.
    public var decorators: [String]
    /// From the `class` keyword to the end of the name.
    public var range: SourceRange
    /// The range of the whole statement, body included.
    public var bodyRange: SourceRange
    /// Whether the class is defined at module level (not nested in a class or function).
    public var isTopLevel: Bool
    /// What is declared; `.class` for every Python class.
    public var kind: TypeKind

    public init(
        name: String, qualifiedName: String, bases: [String], keywords: [String], decorators: [String],
        range: SourceRange, bodyRange: SourceRange, isTopLevel: Bool, kind: TypeKind = .class
    ) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.bases = bases
        self.keywords = keywords
        self.decorators = decorators
        self.range = range
        self.bodyRange = bodyRange
        self.isTopLevel = isTopLevel
        self.kind = kind
    }
}

/// A `def` or `async def` at any depth, with what its body does that rules ask about.
public struct FunctionFact: Sendable, Hashable, Codable {
    public var name: String
    /// The qualified name as `__qualname__` spells it: `f`, `C.method`, `f.<locals>.g`.
    public var qualifiedName: String
    /// The qualified name of the class this is a method of, if it is defined directly in a class body.
    public var className: String?
    public var decorators: [String]
    /// Parameter names in order, without `*`/`**` markers, `self`/`cls` included.
    public var parameters: [String]
    public var isAsync: Bool
    /// Whether the function is defined at module level.
    public var isTopLevel: Bool
    /// From the `def` keyword to the end of the name.
    public var range: SourceRange
    /// The range of the whole statement, body included.
    public var bodyRange: SourceRange
    /// Names declared `global` in this function's own body, with the statement's range.
    public var globals: [NameSite]
    /// Names this function assigns directly in its own body (targets of `=`, `+=`, `:=`, `for`, `with ... as`).
    public var assignedNames: [NameSite]
    /// Each `return` expression's text, white space folded (`""` for a bare `return`).
    public var returns: [String]

    public init(
        name: String, qualifiedName: String, className: String?, decorators: [String], parameters: [String],
        isAsync: Bool, isTopLevel: Bool, range: SourceRange, bodyRange: SourceRange, globals: [NameSite] = [],
        assignedNames: [NameSite] = [], returns: [String] = []
    ) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.className = className
        self.decorators = decorators
        self.parameters = parameters
        self.isAsync = isAsync
        self.isTopLevel = isTopLevel
        self.range = range
        self.bodyRange = bodyRange
        self.globals = globals
        self.assignedNames = assignedNames
        self.returns = returns
    }
}

/// A name at a place.
public struct NameSite: Sendable, Hashable, Codable {
    public var name: String
    public var range: SourceRange

    public init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// What kind of value an assignment binds.
public enum ValueKind: Sendable, Hashable, Codable {
    /// A call of a (dotted) name: `Manager()`, `logging.getLogger(__name__)`.
    case call(String)
    /// Another (dotted) name: `WebSocketManager = UnifiedWebSocketManager`.
    case alias(String)
    /// `{}`, `[]`, `{1: 2}`, a set display, or a comprehension of those.
    case mutableLiteral
    /// A number, string, bytes, `None`, `True`/`False`, a tuple of such, `...`.
    case immutableLiteral
    /// Anything else.
    case other
}

/// A module-level assignment (`=`, annotated, augmented), one per target name.
public struct AssignmentFact: Sendable, Hashable, Codable {
    public var name: String
    public var value: ValueKind
    /// The target name's range.
    public var range: SourceRange
    public var statementRange: SourceRange
    public var isAnnotated: Bool
    public var isAugmented: Bool
    /// The annotation's text, white space folded, for annotated assignments.
    public var annotation: String?
    /// The value's text, white space folded (`None`, `{}`, `Manager()`), so rules can tell a `None` placeholder
    /// from other literals; cut after `ValueText.limit` bytes (`ValueText.capped`); nil when the front end did
    /// not record it.
    public var valueText: String?
    /// Whether the name can never be rebound: a Swift `let` (always false for Python).
    public var isConstant: Bool

    public init(
        name: String, value: ValueKind, range: SourceRange, statementRange: SourceRange, isAnnotated: Bool = false,
        isAugmented: Bool = false, annotation: String? = nil, valueText: String? = nil, isConstant: Bool = false
    ) {
        self.name = name
        self.value = value
        self.range = range
        self.statementRange = statementRange
        self.isAnnotated = isAnnotated
        self.isAugmented = isAugmented
        self.annotation = annotation
        self.valueText = valueText
        self.isConstant = isConstant
    }
}

/// An assignment directly in a class body: shared by every instance. For Swift, a `static` or `class` stored
/// property of a type or extension.
public struct ClassAttributeFact: Sendable, Hashable, Codable {
    public var className: String
    public var name: String
    public var value: ValueKind
    /// The value's text, white space folded, so rules can recognise `field(default_factory=...)` and the like;
    /// cut after `ValueText.limit` bytes (`ValueText.capped`).
    public var valueText: String
    public var annotation: String?
    public var range: SourceRange
    /// Whether the attribute can never be rebound: a Swift `static let` (always false for Python).
    public var isConstant: Bool

    public init(
        className: String, name: String, value: ValueKind, valueText: String, annotation: String?,
        range: SourceRange, isConstant: Bool = false
    ) {
        self.className = className
        self.name = name
        self.value = value
        self.valueText = valueText
        self.annotation = annotation
        self.range = range
        self.isConstant = isConstant
    }
}

/// A declaration its own source marks deprecated: Swift's `@available(*, deprecated, message: ...)`.
public struct DeprecatedDeclarationFact: Sendable, Hashable, Codable {
    /// The declaration's qualified name (`Outer.method`, `LegacyClient`).
    public var symbol: String
    /// The attribute's `message:`, if any.
    public var message: String?
    /// The attribute's `renamed:`, the name to use instead, if any.
    public var renamed: String?
    /// The range of the declaration, from its first modifier or keyword to the end of its name.
    public var range: SourceRange

    public init(symbol: String, message: String?, renamed: String?, range: SourceRange) {
        self.symbol = symbol
        self.message = message
        self.renamed = renamed
        self.range = range
    }
}

/// A module-level `warnings.warn(..., DeprecationWarning)` or `PendingDeprecationWarning`.
public struct DeprecationFact: Sendable, Hashable, Codable {
    /// The category's name as written, its last component: `DeprecationWarning`, `PendingDeprecationWarning`,
    /// or a project's own warning class, which counts when it derives from one of them
    /// (`ProjectIndex.isDeprecationCategory`).
    public var category: String
    /// The message when it is a plain string literal.
    public var message: String?
    /// The range of the `warn` call.
    public var range: SourceRange
    /// The module-level function whose module-level call issues the warning, if it is one hop away.
    public var viaFunction: String?

    /// The standard library's deprecation categories; a project's own warning class counts when it derives
    /// from one of them.
    public static let builtinCategories: Set<String> = ["DeprecationWarning", "PendingDeprecationWarning"]

    public init(category: String, message: String?, range: SourceRange, viaFunction: String? = nil) {
        self.category = category
        self.message = message
        self.range = range
        self.viaFunction = viaFunction
    }
}

/// A PEP 562 module `__getattr__`.
public struct ModuleGetattrFact: Sendable, Hashable, Codable {
    public var range: SourceRange
    /// Whether its body calls `warnings.warn` with a deprecation category.
    public var warnsDeprecation: Bool

    public init(range: SourceRange, warnsDeprecation: Bool) {
        self.range = range
        self.warnsDeprecation = warnsDeprecation
    }
}

/// A dotted attribute chain read from a name bound by a plain import: `m.Name` gives base `m`, path `["Name"]`.
public struct AttributeUseFact: Sendable, Hashable, Codable {
    public var base: String
    public var path: [String]
    public var range: SourceRange

    public init(base: String, path: [String], range: SourceRange) {
        self.base = base
        self.path = path
        self.range = range
    }
}

/// How a container is mutated.
public enum MutationKind: Sendable, Hashable, Codable {
    case subscriptAssign
    case subscriptDelete
    case augmentedAssign
    /// A call of a mutating method: `append`, `extend`, `insert`, `remove`, `update`, `add`, `discard`,
    /// `setdefault`, `pop`, `popitem`, `clear`.
    case methodCall(String)
    /// Rebinding the attribute itself (`self.x = ...`); only for member mutations.
    case rebind
}

/// A mutation of a plain name inside a function (`X[k] = v`, `X.append(v)`).
public struct MutationFact: Sendable, Hashable, Codable {
    public var name: String
    public var kind: MutationKind
    /// The qualified name of the enclosing function, nil at module level.
    public var function: String?
    public var range: SourceRange

    public init(name: String, kind: MutationKind, function: String?, range: SourceRange) {
        self.name = name
        self.kind = kind
        self.function = function
        self.range = range
    }
}

/// A mutation through `self.attr` or `cls.attr` in a method.
public struct MemberMutationFact: Sendable, Hashable, Codable {
    public var className: String
    public var method: String
    /// `self` or `cls` (the method's first parameter name as written).
    public var receiver: String
    public var attribute: String
    public var kind: MutationKind
    public var range: SourceRange

    public init(
        className: String, method: String, receiver: String, attribute: String, kind: MutationKind,
        range: SourceRange
    ) {
        self.className = className
        self.method = method
        self.receiver = receiver
        self.attribute = attribute
        self.kind = kind
        self.range = range
    }
}

/// A `# canon: ignore[...]` or `# canon: ignore-file[...]` comment.
public struct SuppressionFact: Sendable, Hashable, Codable {
    /// Rule ids or codes; empty for a bare `ignore`, which silences every rule.
    public var rules: [String]
    /// The text after ` -- `, if any.
    public var reason: String?
    public var isFileLevel: Bool
    /// The comment's range.
    public var range: SourceRange

    public init(rules: [String], reason: String?, isFileLevel: Bool, range: SourceRange) {
        self.rules = rules
        self.reason = reason
        self.isFileLevel = isFileLevel
        self.range = range
    }
}

extension SuppressionFact {
    /// The suppression a comment holds, given the comment's text after its marker (`#`, `//`): `canon:
    /// ignore`, `canon: ignore[rule, CODE]`, `canon: ignore-file[...]`, each optionally followed by
    /// ` -- reason`. Nil when the comment is not a suppression.
    public static func parse(comment: Substring, range: SourceRange) -> SuppressionFact? {
        var text = comment.drop { $0 == " " || $0 == "\t" }
        guard text.hasPrefix("canon:") else { return nil }
        text = text.dropFirst("canon:".count).drop { $0 == " " || $0 == "\t" }
        let isFileLevel: Bool
        if text.hasPrefix("ignore-file") {
            isFileLevel = true
            text = text.dropFirst("ignore-file".count)
        } else if text.hasPrefix("ignore") {
            isFileLevel = false
            text = text.dropFirst("ignore".count)
        } else {
            return nil
        }
        var rules: [String] = []
        if text.first == "[" {
            guard let close = text.firstIndex(of: "]") else { return nil }
            rules = text[text.index(after: text.startIndex)..<close].split(separator: ",")
                .map { trimmed($0) }.filter { !$0.isEmpty }
            text = text[text.index(after: close)...]
        } else if let next = text.first, next != " ", next != "\t" {
            return nil
        }
        var reason: String?
        let rest = trimmed(text)
        if rest.hasPrefix("--") {
            let value = trimmed(rest.dropFirst(2))
            reason = value.isEmpty ? nil : value
        }
        return SuppressionFact(rules: rules, reason: reason, isFileLevel: isFileLevel, range: range)
    }
}

private func trimmed<S: StringProtocol>(_ text: S) -> String {
    String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
}
