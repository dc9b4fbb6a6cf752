import Foundation
import Synchronization

/// One link of a resolution chain: `name` as bound in `module`, by the statement at `location`.
public struct SymbolStep: Sendable, Hashable {
    public var module: String
    public var name: String
    /// The binding statement (the definition's name, the import's alias clause, the assignment's target).
    public var location: SourceLocation

    public init(module: String, name: String, location: SourceLocation) {
        self.module = module
        self.name = name
        self.location = location
    }
}

/// Where a name bound in a module comes from, once every import, alias and re-export is followed.
public enum SymbolOrigin: Sendable, Hashable {
    /// A class, function or assignment in a project module: the object's one home.
    case definition(DefinitionSite)
    /// A module of the project (a file, or a folder that is a namespace package).
    case module(String)
    /// Something outside the project: a module (`name` nil) or a name read from one.
    case external(module: String, name: String?)
    /// A first-party module that does not exist (`name` nil), or a name such a module does not bind.
    case missing(module: String, name: String?)
    /// Something Canon cannot know statically: a PEP 562 `__getattr__`, a star import from outside the project,
    /// a name listed in `__all__` but bound dynamically, an attribute of a class or function, an object
    /// registered as a submodule at run time, or a module found only deeper in the tree (the source roots are
    /// not the ones the code imports from; `roots:` in the policy fixes that).
    case dynamic(module: String, name: String)
    /// The chain comes back to a binding it already passed through.
    case cycle(module: String, name: String)

    /// The definition, for origins that are one.
    public var definition: DefinitionSite? {
        if case .definition(let site) = self { return site }
        return nil
    }
}

/// A name resolved to its origin, with the chain of bindings followed.
public struct ResolvedSymbol: Sendable, Hashable {
    public var origin: SymbolOrigin
    /// The bindings followed, from the module asked about to the one before the origin (the definition itself
    /// is the origin, not a step).
    public var chain: [SymbolStep]

    public init(origin: SymbolOrigin, chain: [SymbolStep] = []) {
        self.origin = origin
        self.chain = chain
    }
}

/// One place where a file takes a name from a module: `from source import name`, or `m.name` after
/// `import source as m`.
public struct SymbolImport: Sendable, Hashable {
    /// The importing file's path and module.
    public var path: String
    public var module: String
    /// The module the name is taken from: the import path.
    public var source: String
    /// The name taken from `source`.
    public var name: String
    /// The local name it is bound to (`alias` or `name`); for attribute uses, the dotted text used.
    public var localName: String
    public var kind: ImportKind
    /// The alias clause of a `from` import, or the attribute use.
    public var range: SourceRange
    /// The import statement (for attribute uses, the plain import that bound the base name).
    public var statementRange: SourceRange
    /// Whether the site is an attribute use (`m.Name`) rather than a `from` import.
    public var isAttributeUse: Bool
    public var resolution: ResolvedSymbol

    public var location: SourceLocation { SourceLocation(path: path, range: range) }
}

/// The project's names, resolved once per index build: every symbol import with its resolution, and which
/// packages re-export what; any other name bound at the top level of a module is followed to its origin when
/// asked (`resolve(_:in:)`), from what those resolutions memoized.
public struct SymbolTable: Sendable {
    var space: ModuleSpace
    var resolved: ResolutionMemo
    /// Every symbol import of the project, in path and position order, read from the files' lists as it is
    /// walked: the table does not hold every import twice, and a walk copies no list.
    public var imports: some Sequence<SymbolImport> {
        let byPath = allImports
        return importPaths.lazy.flatMap { byPath[$0] ?? [] }
    }
    /// The symbol imports of each importing file, and those files in path order; empty while `deferred`.
    var importsByPath: [String: [SymbolImport]]
    var importPaths: [String]
    /// The files with symbol imports, in path order: `imports(in:)` of each in turn lists `imports`, a file's
    /// list at a time. Asking for them works out every file's symbol imports, if they were deferred.
    public var importingPaths: [String] {
        _ = deferred?.whole.value
        return importPaths
    }
    /// The symbol imports and re-exports when the table was made without them (`resolvingImports` false),
    /// worked out when asked for: a file's imports alone, or every file's and the re-exports on every core
    /// once the list of all or a re-export is asked for.
    var deferred: DeferredImports?
    /// Per definition, the packages whose public API re-exports it: the name is in the package's `__all__`,
    /// imported as itself (`from .m import X as X`) or star-imported by its `__init__`, and the package is not
    /// where it is defined.
    var reExports: [SymbolKey: [SymbolStep]]
    /// Per module asked about, `binderNames(in:)`: shared by the copies of the table, which are the same table
    /// (`replace` starts a new one).
    var binders = Locked<[String: [SymbolKey: [String]]]>([:])
    /// What each file's positions reach, for updating the table when one file changes; built on the first
    /// update (see `replace(_:files:)`).
    var dependents: Dependents?
    /// The keys resolution asked for whose resolution met a cycle, which are not memoized: a change anywhere
    /// may settle them.
    var cycles: Set<SymbolKey>

    /// The table of `files`, worked out on `jobs` threads: each thread works out the symbol imports of runs of
    /// files, and re-exports, with a memo of its own, which the table keeps as they are (see `ResolutionMemo`).
    /// A resolution's value does not depend on what was asked before it (see `CycleMemo`), so the table is the
    /// same whatever the number of threads; a name the imports of several threads read is resolved by each.
    /// `jobs` nil takes every core for a large project, one thread for a small one. Without `resolvingImports`,
    /// the symbol imports and re-exports are worked out when first asked for (see `deferred`): for a check of a
    /// few files after an edit, which reads the imports of those files only.
    init(files: [FileFacts], compiledModules: [String] = [], jobs: Int? = nil, resolvingImports: Bool = true) {
        var packages = NameSet()
        var topLevel = NameSet()
        var seen = NameSet(minimumCapacity: files.count)
        var repeated = false
        // By index: a file taken out of the list whole is copied to read its module.
        for offset in files.indices {
            let module = files[offset].module
            if !seen.insert(module) { repeated = true }
            topLevel.insert(DottedName.top(of: module))
            DottedName.addPackages(of: module, to: &packages)
        }
        // The first file of each module stands for it; the list is shared, not copied, when there is one a module.
        var first: Set<String> = []
        let standing = repeated ? files.filter { first.insert($0.module).inserted } : files
        for module in compiledModules {
            DottedName.addPackages(of: module, to: &packages)
        }
        let jobs = max(1, jobs ?? (standing.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount))
        let symbols = concurrentMap(standing, jobs: jobs) { ModuleSymbols($0) }
        var modules = NameTable<ModuleSymbols>(minimumCapacity: standing.count)
        for (file, table) in zip(standing, symbols) { modules[file.module] = table }
        let space = ModuleSpace(modules: modules, packages: packages, topLevel: topLevel, compiled: NameSet(compiledModules))
        // The packages picked out before they are sorted: a tenth of the modules, where sorting every module's
        // name cost 13 M instructions on the shared corpora, on one core.
        let packageModules = standing.indices.filter { standing[$0].isPackage }.map { standing[$0].module }.sorted()
        let worked = resolvingImports ? Self.work(standing, packages: packageModules, space: space, jobs: jobs) : Worked()
        self.resolved = worked.memo
        self.space = space
        self.cycles = worked.cycles
        self.importsByPath = worked.importsByPath
        self.importPaths = standing.map(\.path)
        self.reExports = worked.reExports
        self.deferred = resolvingImports ? nil : DeferredImports(files: standing, packages: packageModules, space: space, jobs: jobs)
    }

    /// What resolving the symbol imports of the files and the re-exports of the packages gives, and the
    /// resolutions it memoized.
    struct Worked: Sendable {
        var importsByPath: [String: [SymbolImport]] = [:]
        var reExports: [SymbolKey: [SymbolStep]] = [:]
        var memo = ResolutionMemo()
        var cycles: Set<SymbolKey> = []
    }

    /// Resolves the symbol imports of `standing`, in contiguous runs of files (a package's files import the same
    /// names, so a run shares its thread's memo), and the re-exports of `packages`. Each thread resolves, in a
    /// memo of its own, what they read: about a fifth of the project's bindings on the shared corpora.
    /// Resolving every binding first, for the binders (now worked out for a module when asked, see
    /// `binderNames`), took 300 M instructions and a 29 MB memo.
    static func work(_ standing: [FileFacts], packages: [String], space: ModuleSpace, jobs: Int) -> Worked {
        enum Work: Sendable {
            /// Offsets of files in `standing`.
            case imports(Range<Int>)
            case reExports(String)
        }
        enum Done: Sendable {
            case imports([(path: String, sites: [SymbolImport])])
            case reExports([(key: SymbolKey, step: SymbolStep)])
        }
        // Sixteen runs a thread, so that the last run does not keep one thread busy while the other waits.
        let runLength = max(1, (standing.count + 16 * jobs - 1) / (16 * jobs))
        let works = stride(from: 0, to: standing.count, by: runLength).map { Work.imports($0..<min($0 + runLength, standing.count)) }
            + packages.map(Work.reExports)
        @Sendable func perform(_ resolver: inout Resolver, _ work: Work) -> Done {
            switch work {
            case .imports(let run): return .imports(run.map { (standing[$0].path, resolver.symbolImports(of: standing[$0])) })
            case .reExports(let module): return .reExports(resolver.reExports(by: module))
            }
        }
        let parts = concurrentWorkers(works, jobs: jobs, state: { Resolver(space: space, base: ResolutionMemo()) }, perform) {
            resolver, done in (values: resolver.symbols.values, cycles: resolver.cycles, done: done)
        }
        var worked = Worked()
        for part in parts { worked.cycles.formUnion(part.cycles) }
        worked.importsByPath.reserveCapacity(standing.count)
        // In work order, so that each definition's re-exports are in module order.
        for done in parts.flatMap(\.done).sorted(by: { $0.index < $1.index }).map(\.result) {
            switch done {
            case .imports(let files): for (path, sites) in files { worked.importsByPath[path] = sites }
            case .reExports(let steps): for (key, step) in steps { worked.reExports[key, default: []].append(step) }
            }
        }
        // Largest first: most lookups end in the first part.
        worked.memo = ResolutionMemo(parts: parts.map(\.values).sorted { $0.count > $1.count })
        return worked
    }

    /// The resolutions memoized so far: when the symbol imports are deferred, those their working out left.
    private var memo: ResolutionMemo { deferred?.memo ?? resolved }

    /// Works out the deferred symbol imports and re-exports now, on every core, if there are any: for a caller
    /// about to read them all from several threads at once.
    public func resolveDeferredImportsAhead() { _ = deferred?.whole.value }

    /// Every file's symbol imports, by path: worked out now on every core if they were deferred.
    var allImports: [String: [SymbolImport]] { deferred?.whole.value.importsByPath ?? importsByPath }

    /// Works out the deferred symbol imports and re-exports, if any, and keeps them as a table built with them
    /// does: for changing the table, which reads and updates them all.
    mutating func resolveDeferredImports() {
        guard let deferred else { return }
        let whole = deferred.whole.value
        importsByPath = whole.importsByPath
        reExports = whole.reExports
        resolved = whole.memo
        cycles = whole.cycles
        self.deferred = nil
    }

    /// The definitions in other modules that `module`'s own bindings (not its star imports) resolve to, each
    /// with the names bound to it, sorted; worked out when a module is first asked about, and kept.
    func binderNames(in module: String) -> [SymbolKey: [String]] {
        if let known = binders.withLock({ $0[module] }) { return known }
        var found: [SymbolKey: [String]] = [:]
        if let symbols = space.modules[module] {
            var resolver = Resolver(space: space, base: memo)
            for name in symbols.bindings.keys.lazy.map(\.text) {
                guard let site = resolver.resolve(name, in: module).origin.definition, site.module != module else { continue }
                found[SymbolKey(site.module, site.name), default: []].appendInOrder(name)
            }
        }
        binders.withLock { $0[module] = found }
        return found
    }

    /// Resolves `name` as bound at the top level of `module` (or, for a module outside the project or missing,
    /// as read from it).
    public func resolve(_ name: String, in module: String) -> ResolvedSymbol {
        let memo = memo
        if let known = memo[SymbolKey(module, name)] { return known }
        var resolver = Resolver(space: space, base: memo)
        return resolver.resolve(name, in: module)
    }

    /// Whether `module` is in the project: a file, or a folder of files (a namespace package).
    public func contains(module: String) -> Bool { space.exists(module) }

    /// What importing `module` as a whole gives: the module, something external, a missing first-party
    /// module, or (for an object a module registers as a submodule at run time) something dynamic.
    public func origin(ofModule module: String) -> SymbolOrigin { space.moduleOrigin(module) }

    /// Whether `module` belongs to the project: its top-level package is one of the project's. A relative
    /// import that climbs above the top package counts as first-party.
    public func isFirstParty(_ module: String) -> Bool { space.isFirstParty(module) }

    /// The packages that re-export a definition as their public API (`__all__`, `import X as X`, or a star
    /// import in the `__init__`), each with the name it is exported under, in module order.
    public func reExports(of site: DefinitionSite) -> [SymbolStep] {
        (deferred?.whole.value.reExports ?? reExports)[SymbolKey(site.module, site.name)] ?? []
    }

    /// The name under which `module` binds a definition: its own name if the module binds it to the
    /// definition, else the first name (sorted) that the module binds, or star-imports, to it.
    public func boundName(for site: DefinitionSite, in module: String) -> String? {
        if module == site.module || resolve(site.name, in: module).origin == .definition(site) { return site.name }
        if let names = binderNames(in: module)[SymbolKey(site.module, site.name)] { return names.min() }
        guard let symbols = space.modules[module], !symbols.starSources.isEmpty else { return nil }
        var names = Set<String>()
        for (source, _) in symbols.starSources { names.formUnion(starExports(of: source).names) }
        return names.subtracting(symbols.bindings.keys.lazy.map(\.text)).sorted().first { resolve($0, in: module).origin == .definition(site) }
    }

    /// The names a star import of `module` binds, and whether that list is complete (it is not when the
    /// module star-imports from outside the project).
    public func starExports(of module: String) -> (names: Set<String>, complete: Bool) {
        var exported = space.exports[module]
        if exported == nil, space.modules[module] != nil {
            // No project module star-imports it, so its names were not worked out with the others'.
            exported = ModuleSpace.starExports(of: space.modules, only: [module], previous: space.exports, keeping: [module])[module]
        }
        let names = exported ?? ExportedNames(names: [], complete: false)
        return (names.names, names.complete)
    }
}

extension ProjectIndex {
    /// Resolves `name` as bound at the top level of `module` to its origin, following imports, aliases by
    /// assignment, star imports (honouring `__all__`) and package re-exports.
    public func resolve(_ name: String, in module: String) -> ResolvedSymbol { symbols.resolve(name, in: module) }
}

/// The memoized resolutions of a symbol table, in the parts the threads that worked them out left them in.
/// Joining them into one table inserted (retaining and copying) a hundred thousand entries on one thread
/// while the other cores waited, a few hundredths of a second of a large scan; a lookup now asks each part in
/// turn, and there are a few. A key may be in more than one part, always with the same value (a resolution
/// does not depend on what was asked before it, see `CycleMemo`); a lookup takes the first part's, as the
/// join kept the first table's.
struct ResolutionMemo: Sendable, Equatable {
    private var parts: [[SymbolKey: ResolvedSymbol]]

    /// No resolution.
    init() { parts = [] }

    /// The resolutions of `parts`, asked in that order (so put the largest first); empty ones are left out.
    init(parts: [[SymbolKey: ResolvedSymbol]]) { self.parts = parts.filter { !$0.isEmpty } }

    /// Whether no part holds a resolution (a part emptied by removals is let go of).
    var isEmpty: Bool { parts.isEmpty }

    /// The resolution of `key`: the first part's that has one. Setting it puts it in the first part and takes
    /// the key out of the others; setting nil takes it out of every part.
    subscript(key: SymbolKey) -> ResolvedSymbol? {
        get {
            // Through the buffer: read through the array's subscript, each table was retained for every lookup.
            parts.withUnsafeBufferPointer { parts in
                for index in parts.indices {
                    if let value = parts[index][key] { return value }
                }
                return nil
            }
        }
        set {
            for index in parts.indices.dropFirst() { parts[index].removeValue(forKey: key) }
            if let newValue {
                if parts.isEmpty { parts = [[:]] }
                parts[0][key] = newValue
            } else if !parts.isEmpty {
                parts[0].removeValue(forKey: key)
            }
            parts.removeAll { $0.isEmpty }
        }
    }

    /// Takes `key` out of every part, returning the resolution a lookup gave.
    @discardableResult
    mutating func removeValue(forKey key: SymbolKey) -> ResolvedSymbol? {
        let value = self[key]
        self[key] = nil
        return value
    }

    /// Every key with a resolution, once.
    var keys: Set<SymbolKey> {
        var keys = Set<SymbolKey>(minimumCapacity: parts.first?.count ?? 0)
        for part in parts { keys.formUnion(part.keys) }
        return keys
    }

    /// Calls `body` once for each key with its resolution (the one a lookup gives), part by part.
    func forEach(_ body: (SymbolKey, ResolvedSymbol) -> Void) {
        for index in parts.indices {
            for (key, value) in parts[index] where !parts[..<index].contains(where: { $0[key] != nil }) { body(key, value) }
        }
    }

    /// The same keys with the same resolutions, however they are split into parts.
    static func == (lhs: ResolutionMemo, rhs: ResolutionMemo) -> Bool {
        let keys = lhs.keys
        return keys == rhs.keys && keys.allSatisfy { lhs[$0] == rhs[$0] }
    }
}

/// A name as bound in a module: the key of the resolution memo and of most of the table. Its hash is worked out
/// once (`NameHash`), since a key is hashed again at each step (the memo's lookup and insert, the binders, the
/// table's lookups from rules).
struct SymbolKey: Hashable, Sendable {
    let module: String
    let name: String
    private let digest: UInt64

    init(_ module: String, _ name: String) {
        self.module = module
        self.name = name
        digest = NameHash.combine(NameHash.of(module), NameHash.of(name))
    }

    static func == (lhs: SymbolKey, rhs: SymbolKey) -> Bool {
        lhs.digest == rhs.digest && lhs.name == rhs.name && lhs.module == rhs.module
    }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// What `Dictionary` and `Set` ask for: the digest spread with their seed, without a `Hasher`.
    func _rawHashValue(seed: Int) -> Int { NameHash.finish(digest, seed: seed) }
}

struct ExportedNames: Sendable, Equatable {
    var names: Set<String>
    var complete: Bool
}

/// Where an import or an alias by assignment binds a name, and the `as` name the import was written with:
/// all resolution keeps of the statement (a whole fact per binding would double the table's memory).
struct BindingSite: Sendable {
    let range: SourceRange
    let alias: String?

    init(_ fact: ImportFact) {
        range = fact.range
        alias = fact.alias
    }

    init(_ fact: AssignmentFact) {
        range = fact.range
        alias = nil
    }
}

/// What binds one name at the top level of a module, as resolution needs it.
enum LocalBinding: Sendable {
    case definition(DefinitionSite)
    /// `import a.b` binds `a` to module `a`; `import a.b as m` binds `m` to `a.b`.
    case module(String, BindingSite)
    /// `from source import name [as ...]`.
    case name(source: String, name: String, BindingSite)
    /// `A = B` or `A = pkg.B`.
    case alias(String, BindingSite)

    /// Whether this is `from module import ...`: in a package's `__init__`, `from . import x` of its own
    /// submodule.
    func isImport(from module: String) -> Bool {
        if case .name(let source, _, _) = self { return source == module }
        return false
    }

    func location(in module: String, path: String) -> SourceLocation {
        switch self {
        case .definition(let site): site.location
        case .module(_, let site), .name(_, _, let site), .alias(_, let site): SourceLocation(path: path, range: site.range)
        }
    }
}

/// One module's top-level bindings, reduced to what resolution reads. A class, never changed once made: each
/// step of a resolution takes its module's symbols out of the table, which for a struct of eight references
/// was eight retains and releases a step.
///
/// The tables of bindings are made when first read: a scan resolves names in about a third of the modules
/// (those something imports from), and making every module's took 214 M instructions on the shared corpora.
final class ModuleSymbols: @unchecked Sendable {
    // Sendable is sound: the stored properties are `let`s of Sendable values, but for what `tables` points to,
    // which is written once, under `lock`, before `isBuilt` is stored with releasing order, read without the
    // lock only after `isBuilt` is loaded as true with acquiring order, and never written again.
    private let file: FileFacts
    /// The `from x import *` statements that run on import, in order: the module and the `*` clause.
    let starSources: [(module: String, range: SourceRange)]
    private let isBuilt = Atomic<Bool>(false)
    private let lock = NSLock()
    private let tables = UnsafeMutablePointer<Tables?>.allocate(capacity: 1)

    private struct Tables {
        var bindings: [HashedName: LocalBinding]
        var alternatives: [HashedName: [LocalBinding]]
        var dynamicNames: Set<String>
    }

    /// The binding of each name the module binds (keyed by hashed names, as resolution probes them again and again).
    var bindings: [HashedName: LocalBinding] { built.bindings }
    /// Names bound more than once by statements that run (imports, aliases, assignments), when no class or
    /// function definition settles them, with every such binding in file order.
    var alternatives: [HashedName: [LocalBinding]] { built.alternatives }
    /// Names a function declares `global` and assigns: bound at run time, invisibly.
    var dynamicNames: Set<String> { built.dynamicNames }
    var path: String { file.path }
    var isPackage: Bool { file.isPackage }
    var dunderAll: [String]? { file.dunderAll }
    var hasGetattr: Bool { file.moduleGetattr != nil }

    init(_ file: FileFacts) {
        var stars: [(module: String, range: SourceRange)] = []
        file.imports.withUnsafeBufferPointer { imports in
            for k in imports.indices where imports[k].form == .from && imports[k].kind != .function && imports[k].kind != .typeChecking {
                if imports[k].isStar { stars.append((imports[k].module, imports[k].range)) }
            }
        }
        starSources = stars
        self.file = file
        tables.initialize(to: nil)
    }

    deinit {
        tables.deinitialize(count: 1)
        tables.deallocate()
    }

    private var built: Tables {
        if isBuilt.load(ordering: .acquiring) { return tables.pointee.unsafelyUnwrapped }
        return lock.withLock {
            if let known = tables.pointee { return known }
            let made = Self.tables(of: file)
            tables.pointee = made
            isBuilt.store(true, ordering: .releasing)
            return made
        }
    }

    /// When one name has several bindings, the one resolution follows: a class or function definition, else
    /// an import that runs on import, else an alias by assignment, else a `TYPE_CHECKING` import, else any
    /// other assignment; within a rank, the first in the file.
    private static func tables(of file: FileFacts) -> Tables {
        /// A name's binding so far, with the bindings of it that run (the first apart, so that the many names
        /// bound once need no array).
        struct Ranked {
            var rank: Int
            var binding: LocalBinding
            var firstRunning: LocalBinding?
            var moreRunning: [LocalBinding] = []
        }
        /// The names' bindings so far. A value of its own, whose method does the lookups and updates: the local
        /// `offer` below takes one access to it per call, checked at run time, where a dictionary shared with the
        /// local functions took one per lookup and update.
        struct Ranking {
            var entries: [HashedName: Ranked] = [:]

            mutating func offer(_ name: String, _ rank: Int, _ binding: LocalBinding) {
                let runs = rank != 0 && rank != 3
                var fresh = false
                // Looked up once: a new name is inserted, one bound again changed in place.
                func update(_ entry: inout Ranked) {
                    guard !fresh else { return }
                    if runs {
                        if entry.firstRunning == nil { entry.firstRunning = binding } else { entry.moreRunning.append(binding) }
                    }
                    if rank < entry.rank { (entry.rank, entry.binding) = (rank, binding) }
                }
                update(&entries[HashedName(name), default: { fresh = true; return Ranked(rank: rank, binding: binding, firstRunning: runs ? binding : nil) }()])
            }
        }
        var ranking = Ranking()
        var capacity = file.imports.count + file.assignments.count
        for k in file.classes.indices where file.classes[k].isTopLevel { capacity += 1 }
        capacity += file.topLevelFunctionCount
        ranking.entries.reserveCapacity(capacity)
        func offer(_ name: String, _ rank: Int, _ binding: LocalBinding) { ranking.offer(name, rank, binding) }
        func site(_ name: String, _ kind: DefinitionSite.Kind, _ range: SourceRange) -> LocalBinding {
            .definition(DefinitionSite(module: file.module, path: file.path, name: name, kind: kind, range: range))
        }
        // Classes and functions by index: most are methods and nested ones, which would be copied to be passed over.
        for k in file.classes.indices where file.classes[k].isTopLevel {
            offer(file.classes[k].name, 0, site(file.classes[k].name, .class, file.classes[k].range))
        }
        file.forEachTopLevelFunction { _, name, range in offer(name, 0, site(name, .function, range)) }
        // Imports and assignments read in place, through the buffers: copying each out retained its strings.
        file.imports.withUnsafeBufferPointer { imports in
            for k in imports.indices where imports[k].kind != .function {
                let rank = imports[k].kind == .typeChecking ? 3 : 1
                switch imports[k].form {
                case .plain:
                    guard let bound = imports[k].boundName else { continue }
                    offer(bound, rank, .module(imports[k].alias == nil ? bound : imports[k].module, BindingSite(imports[k])))
                case .from:
                    guard let name = imports[k].name else { continue }
                    if name != "*" {
                        offer(imports[k].alias ?? name, rank, .name(source: imports[k].module, name: name, BindingSite(imports[k])))
                    }
                }
            }
        }
        file.assignments.withUnsafeBufferPointer { assignments in
            for k in assignments.indices where !assignments[k].isAugmented {
                if case .alias(let target) = assignments[k].value {
                    offer(assignments[k].name, 2, .alias(target, BindingSite(assignments[k])))
                } else {
                    offer(assignments[k].name, 4, site(assignments[k].name, .assignment, assignments[k].range))
                }
            }
        }
        let dynamic = Set(file.globalsAssigned)
        let ranked = ranking.entries
        var alternatives: [HashedName: [LocalBinding]] = [:]
        for (name, entry) in ranked where entry.rank != 0 && !entry.moreRunning.isEmpty {
            alternatives[name] = ([entry.firstRunning!] + entry.moreRunning).sorted {
                $0.location(in: file.module, path: file.path) < $1.location(in: file.module, path: file.path)
            }
        }
        return Tables(bindings: ranked.mapValues(\.binding), alternatives: alternatives, dynamicNames: dynamic)
    }

    /// The names the module offers as its public API: its `__all__`, and names imported as themselves
    /// (`from .m import X as X`, the typed-package convention).
    func publicNames() -> [String] {
        var names = Set(dunderAll ?? [])
        for (name, binding) in bindings {
            if case .name(_, let imported, let fact) = binding, fact.alias == imported, imported == name.text { names.insert(name.text) }
        }
        return names.sorted()
    }
}

/// The resolution algorithm, memoized. Results that depend on a binding still being resolved higher up the
/// stack (a cycle in progress) are not memoized, so a cycle seen from one entry point does not poison names
/// that resolve fine from another.
struct Resolver {
    let space: ModuleSpace
    let base: ResolutionMemo
    var symbols = CycleMemo<SymbolKey, ResolvedSymbol>()
    /// The keys whose resolution met a cycle, which are not memoized (see `CycleMemo`).
    var cycles: Set<SymbolKey> = []
    /// `ModuleSpace.moduleOrigin` of the modules asked about, which for a module not in the project walks its
    /// packages (thousands of instructions) and is asked again for each name imported from it.
    private var moduleOrigins = NameTable<SymbolOrigin>()
    /// The module last looked up, and its symbols: names are mostly resolved a module at a time, and a long
    /// module name costs hundreds of instructions to hash where comparing it with the same string costs a few.
    private var lastModule: (name: String, symbols: ModuleSymbols?)?

    init(space: ModuleSpace, base: ResolutionMemo) {
        self.space = space
        self.base = base
    }

    private var modules: NameTable<ModuleSymbols> { space.modules }

    private func exists(_ module: String) -> Bool { space.exists(module) }

    /// How many bindings a chain may pass through before Canon gives up on it (and calls the name dynamic):
    /// real chains are a few links long, and resolution recurses once per link.
    static let maxDepth = 100

    mutating func resolve(_ name: String, in module: String) -> ResolvedSymbol {
        let key = SymbolKey(module, name)
        // A first build has no base; looking in it would still hash the key.
        if !base.isEmpty, let known = base[key] { return known }
        if symbols.depth >= Self.maxDepth {
            symbols.markDependsOnRoot()
            return ResolvedSymbol(origin: .dynamic(module: module, name: name))
        }
        switch symbols.start(key) {
        case .known(let value): return value
        case .cycle: return ResolvedSymbol(origin: .cycle(module: module, name: name))
        case .started(let token):
            let result = compute(name, in: module)
            if !symbols.finish(key, result, token) { cycles.insert(key) }
            return result
        }
    }

    /// Where one binding of `name` in `module` leads, without the binding's own step.
    private mutating func follow(_ binding: LocalBinding, name: String, in module: String) -> ResolvedSymbol {
        switch binding {
        case .definition(let site):
            return ResolvedSymbol(origin: .definition(site))
        case .module(let target, _):
            return ResolvedSymbol(origin: moduleOrigin(target))
        case .name(_, let imported, _) where binding.isImport(from: module):
            // `from . import x` in a package's `__init__` binds its submodule, not itself.
            return ResolvedSymbol(origin: moduleOrigin(DottedName.join(module, imported)))
        case .name(let source, let imported, _):
            return resolve(imported, in: source)
        case .alias(let dotted, _):
            let parts = DottedName.parts(of: dotted).map(String.init)
            if parts.count == 1 && parts[0] == name { return ResolvedSymbol(origin: .cycle(module: module, name: name)) }
            var next = resolve(parts[0], in: module)
            for part in parts.dropFirst() { next = attribute(part, of: next) }
            return next
        }
    }

    /// The symbols of `module`, or nil when it is not one of the project's files.
    private mutating func symbols(of module: String) -> ModuleSymbols? {
        if let lastModule, lastModule.name == module { return lastModule.symbols }
        let found = modules[module]
        lastModule = (module, found)
        return found
    }

    private mutating func compute(_ name: String, in module: String) -> ResolvedSymbol {
        guard let symbols = symbols(of: module) else {
            let submodule = DottedName.join(module, name)
            if exists(submodule) { return ResolvedSymbol(origin: .module(submodule)) }
            if space.compiled.contains(module) { return ResolvedSymbol(origin: .dynamic(module: module, name: name)) }
            if exists(module) {
                // A namespace package here that is also a package deeper in the tree: mis-rooted, unknown.
                let origin: SymbolOrigin = space.nested.contains(module) ? .dynamic(module: module, name: name) : .missing(module: module, name: name)
                return ResolvedSymbol(origin: origin)
            }
            switch moduleOrigin(module) {
            case .external: return ResolvedSymbol(origin: .external(module: module, name: name))
            case let origin: return ResolvedSymbol(origin: origin)
            }
        }
        let hashed = HashedName(name)
        if let binding = symbols.bindings[hashed] {
            if let alternatives = symbols.alternatives[hashed] {
                let origins = alternatives.map { follow($0, name: name, in: module).origin }
                if Set(origins).count > 1 {
                    // Bound to different objects on different branches (`try`/`except ImportError`, `if`):
                    // this module chooses, so it is the name's home.
                    return ResolvedSymbol(
                        origin: .definition(
                            DefinitionSite(
                                module: module, path: symbols.path, name: name, kind: .assignment,
                                range: alternatives[0].location(in: module, path: symbols.path).range)))
                }
            }
            if case .definition(let site) = binding { return ResolvedSymbol(origin: .definition(site)) }
            let step = SymbolStep(module: module, name: name, location: binding.location(in: module, path: symbols.path))
            let next = follow(binding, name: name, in: module)
            return ResolvedSymbol(origin: next.origin, chain: Self.chain(step, then: next.chain))
        }
        var unknown = symbols.hasGetattr || symbols.dynamicNames.contains(name) || (symbols.dunderAll?.contains(name) ?? false)
            || ModuleSpace.implicitNames.contains(name)
        var cyclic: ResolvedSymbol?
        for (source, range) in symbols.starSources {
            let exported = exports(of: source)
            if exported.names.contains(name) {
                let next = resolve(name, in: source)
                if case .cycle = next.origin {
                    cyclic = cyclic ?? next
                    continue
                }
                let step = SymbolStep(module: module, name: name, location: SourceLocation(path: symbols.path, range: range))
                return ResolvedSymbol(origin: next.origin, chain: Self.chain(step, then: next.chain))
            }
            if !exported.complete { unknown = true }
        }
        let submodule = DottedName.join(module, name)
        if exists(submodule) { return ResolvedSymbol(origin: .module(submodule)) }
        if let cyclic { return cyclic }
        if unknown { return ResolvedSymbol(origin: .dynamic(module: module, name: name)) }
        return ResolvedSymbol(origin: .missing(module: module, name: name))
    }

    /// `step`, then `rest`, in one list made at its size: `[step] + rest` made two.
    private static func chain(_ step: SymbolStep, then rest: [SymbolStep]) -> [SymbolStep] {
        var chain: [SymbolStep] = []
        chain.reserveCapacity(rest.count + 1)
        chain.append(step)
        chain.append(contentsOf: rest)
        return chain
    }

    private mutating func moduleOrigin(_ module: String) -> SymbolOrigin {
        if let known = moduleOrigins[module] { return known }
        let origin = space.moduleOrigin(module)
        moduleOrigins[module] = origin
        return origin
    }

    /// `resolved.part`: a module's attribute is a name it binds (or a submodule); other attributes are
    /// outside what static resolution can follow.
    mutating func attribute(_ part: String, of resolved: ResolvedSymbol) -> ResolvedSymbol {
        switch resolved.origin {
        case .module(let module):
            let next = resolve(part, in: module)
            return ResolvedSymbol(origin: next.origin, chain: resolved.chain + next.chain)
        case .external(let module, let name):
            return ResolvedSymbol(
                origin: .external(module: module, name: name.map { "\($0).\(part)" } ?? part), chain: resolved.chain)
        case .definition(let site):
            return ResolvedSymbol(origin: .dynamic(module: site.module, name: "\(site.name).\(part)"), chain: resolved.chain)
        case .missing, .dynamic, .cycle:
            return resolved
        }
    }

    /// The definitions a package re-exports as its public API, with the name and the binding that exports
    /// each, in name order; nothing for a module that is not a package.
    mutating func reExports(by module: String) -> [(key: SymbolKey, step: SymbolStep)] {
        guard let symbols = modules[module], symbols.isPackage else { return [] }
        var names = Set(symbols.publicNames())
        for (source, _) in symbols.starSources { names.formUnion(exports(of: source).names) }
        var steps: [(key: SymbolKey, step: SymbolStep)] = []
        for name in names.sorted() {
            let resolved = resolve(name, in: module)
            guard let site = resolved.origin.definition, site.module != module else { continue }
            let location = resolved.chain.first { $0.module == module }?.location
                ?? SourceLocation(path: symbols.path, range: .at(line: 1, column: 1))
            steps.append((SymbolKey(site.module, site.name), SymbolStep(module: module, name: name, location: location)))
        }
        return steps
    }

    /// The names `from module import *` binds, as computed for the module space.
    func exports(of module: String) -> ExportedNames {
        space.exports[module] ?? ExportedNames(names: [], complete: false)
    }

    /// The symbol imports of one file: each name of a `from` import (not `*`), and the first use of each
    /// attribute chain read from a name bound by a plain import, walked through submodules to the name taken.
    mutating func symbolImports(of file: FileFacts) -> [SymbolImport] {
        var visits: [String]?
        return symbolImports(of: file, visits: &visits)
    }

    /// `symbolImports(of:)`, noting in `visits` (when not nil) each module whose names an attribute walk read.
    mutating func symbolImports(of file: FileFacts, visits: inout [String]?) -> [SymbolImport] {
        // The imports are read in place, through the buffer: copying each out retained its every string.
        let imports = file.imports
        // Room for every `from` import at once: grown by doubling, a project's lists of these 200-byte values
        // held and copied 18 MB.
        var sites: [SymbolImport] = []
        sites.reserveCapacity(imports.count)
        var plainByName = NameTable<Int>()
        imports.withUnsafeBufferPointer { imports in
            for k in imports.indices where imports[k].form == .from {
                guard let name = imports[k].name, name != "*" else { continue }
                sites.append(
                    SymbolImport(
                        path: file.path, module: file.module, source: imports[k].module, name: name,
                        localName: imports[k].alias ?? name, kind: imports[k].kind, range: imports[k].range,
                        statementRange: imports[k].statementRange, isAttributeUse: false,
                        resolution: resolve(name, in: imports[k].module)))
            }
            for k in imports.indices where imports[k].form == .plain {
                guard let bound = imports[k].boundName else { continue }
                if let existing = plainByName[bound], imports[existing].kind != .function || imports[k].kind == .function {
                    continue
                }
                plainByName[bound] = k
            }
        }
        var seen: Set<SymbolKey> = []
        for use in file.attributeUses {
            guard let offset = plainByName[use.base] else { continue }
            let fact = imports[offset]
            var current = fact.alias == nil ? use.base : fact.module
            guard exists(current) else { continue }
            for (offset, part) in use.path.enumerated() {
                visits?.append(current)
                let next = resolve(part, in: current)
                if case .module(let submodule) = next.origin {
                    current = submodule
                    continue
                }
                if seen.insert(SymbolKey(current, part)).inserted {
                    sites.append(
                        SymbolImport(
                            path: file.path, module: file.module, source: current, name: part,
                            localName: ([use.base] + use.path.prefix(offset + 1)).joined(separator: "."),
                            kind: fact.kind, range: use.range, statementRange: fact.statementRange, isAttributeUse: true,
                            resolution: next))
                }
                break
            }
        }
        // Sorted in place: `sorted` would copy every import into a new list first.
        sites.sort { $0.range < $1.range }
        return sites
    }
}

/// The modules of a project, as resolution asks about them.
struct ModuleSpace: Sendable {
    /// Names every module has without binding them.
    static let implicitNames: Set<String> = [
        "__name__", "__file__", "__doc__", "__path__", "__spec__", "__loader__", "__package__", "__dict__",
        "__builtins__", "__cached__", "__annotations__",
    ]

    /// Replaced only by `SymbolTable.replace`, which updates `exports` when the module's shape changed.
    var modules: NameTable<ModuleSymbols>
    /// Every proper prefix of a module name: the packages, with or without `__init__.py`.
    let packages: NameSet
    /// The first components of module names: the project's top-level packages and modules.
    let topLevel: NameSet
    /// Compiled modules of the project (Cython sources, extension binaries): they exist, but what they bind
    /// is unknown.
    let compiled: NameSet
    /// What `from module import *` binds, per project module that a project module star-imports.
    var exports: [String: ExportedNames]
    /// Every proper dotted suffix of a module name (`core.basic` for `sympy.sympy.core.basic`): a first-party
    /// module missing under its own name but present under a longer one means the source roots are not the
    /// ones the code imports from, so it is not called missing. Made when first asked for (a namespace package
    /// with no file of its own, which most projects have none of): made at once, it cost every scan 15,000
    /// strings on one core.
    var nested: NameSet { nestedNames.value }
    private let nestedNames: Lazy<NameSet>
    /// Every module that exists: the files' (whose names `SymbolTable.replace` never changes), the packages and
    /// the compiled ones, in one set, so that asking about a name that is none of them (most submodule
    /// candidates) hashes it once rather than three times.
    private let known: NameSet

    init(modules: NameTable<ModuleSymbols>, packages: NameSet, topLevel: NameSet, compiled: NameSet) {
        self.modules = modules
        self.packages = packages
        self.topLevel = topLevel
        self.compiled = compiled
        var known = NameSet(minimumCapacity: packages.count + compiled.count + modules.count)
        known.formUnion(packages)
        known.formUnion(compiled)
        known.formUnion(modules.keys)
        self.known = known
        self.exports = Self.starExports(of: modules)
        // The module names never change (`SymbolTable.replace` keeps them), so the suffixes made later are these.
        let names = Array(modules.keys) + Array(compiled)
        nestedNames = Lazy {
            var nested = NameSet(minimumCapacity: names.count * 4)
            for module in names {
                // By UTF-8 code unit, from the bytes in place: a dot is never part of a longer character in a
                // module name, and a substring made into a string through the string's indices cost a thousand
                // instructions.
                module.withBorrowedUTF8 { bytes in
                    for k in bytes.indices where bytes[k] == UInt8(ascii: ".") {
                        nested.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[(k + 1)...]), as: UTF8.self))
                    }
                }
            }
            return nested
        }
    }

    /// The names each star-imported module's star import binds: its `__all__` when it has one, else its
    /// public names and the public names of what it star-imports, transitively. Modules that star-import each
    /// other share their names, so the graph of star imports is condensed into strongly connected components
    /// (Tarjan's algorithm, iterative) and each component is computed once, after the components it imports
    /// from. Modules no project module star-imports are left out: most modules are never star-imported, and
    /// their name sets would be most of the work (`SymbolTable.starExports(of:)` works one out on demand).
    ///
    /// With `only`, just those modules are computed again, on top of `previous`: they must hold every module
    /// that star-imports one of them, transitively, so that the others' names are as before. A module they
    /// star-import that `previous` lacks is computed too; the result keeps those of `keeping` that no module
    /// star-imports. `imported`, when the caller has it at hand, is every module of `modules` that one of them
    /// star-imports; it saves a pass over all modules.
    static func starExports(
        of modules: NameTable<ModuleSymbols>, only: Set<String>? = nil, previous: [String: ExportedNames] = [:],
        keeping: Set<String> = [], imported known: Set<String>? = nil
    ) -> [String: ExportedNames] {
        let imported = known ?? Set(modules.values.lazy.flatMap(\.starSources).map(\.module).filter { modules[$0] != nil })
        var computed = only ?? imported
        if only != nil {
            var pending = Array(computed)
            while let module = pending.popLast() {
                guard let symbols = modules[module] else { continue }
                for (source, _) in symbols.starSources where modules[source] != nil && previous[source] == nil {
                    if computed.insert(source).inserted { pending.append(source) }
                }
            }
        }
        let inside = computed
        func successors(_ module: String) -> [String] {
            guard let symbols = modules[module], symbols.dunderAll == nil else { return [] }
            return symbols.starSources.map(\.module).filter { modules[$0] != nil && inside.contains($0) }
        }
        func outside(_ module: String) -> [String] {
            guard only != nil, let symbols = modules[module], symbols.dunderAll == nil else { return [] }
            return symbols.starSources.map(\.module).filter { modules[$0] != nil && !inside.contains($0) }
        }
        func own(_ module: String) -> ExportedNames {
            let symbols = modules[module]!
            if let all = symbols.dunderAll { return ExportedNames(names: Set(all), complete: true) }
            let names = Set(symbols.bindings.keys.lazy.map(\.text).filter { !$0.hasPrefix("_") }).union(symbols.dynamicNames.filter { !$0.hasPrefix("_") })
            return ExportedNames(names: names, complete: symbols.starSources.allSatisfy { modules[$0.module] != nil })
        }
        var result = previous
        var order: [String: Int] = [:]
        var lowlink: [String: Int] = [:]
        var stack: [String] = []
        var onStack: Set<String> = []
        for root in inside.sorted() where order[root] == nil && modules[root] != nil {
            var work: [(module: String, next: Int)] = [(root, 0)]
            order[root] = order.count
            lowlink[root] = order[root]
            stack.append(root)
            onStack.insert(root)
            while let (module, next) = work.last {
                let edges = successors(module)
                if next < edges.count {
                    work[work.count - 1].next += 1
                    let target = edges[next]
                    if order[target] == nil {
                        order[target] = order.count
                        lowlink[target] = order[target]
                        stack.append(target)
                        onStack.insert(target)
                        work.append((target, 0))
                    } else if onStack.contains(target) {
                        lowlink[module] = min(lowlink[module]!, order[target]!)
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.module { lowlink[parent] = min(lowlink[parent]!, lowlink[module]!) }
                guard lowlink[module] == order[module] else { continue }
                var component: [String] = []
                while let member = stack.popLast() {
                    onStack.remove(member)
                    component.append(member)
                    if member == module { break }
                }
                let members = Set(component)
                var shared = ExportedNames(names: [], complete: true)
                for member in component {
                    let mine = own(member)
                    shared.names.formUnion(mine.names)
                    shared.complete = shared.complete && mine.complete
                    for target in successors(member) + outside(member) where !members.contains(target) {
                        let inner = result[target]!
                        shared.names.formUnion(inner.names.filter { !$0.hasPrefix("_") })
                        shared.complete = shared.complete && inner.complete
                    }
                }
                for member in component { result[member] = modules[member]!.dunderAll == nil ? shared : own(member) }
            }
        }
        return only == nil ? result : result.filter { imported.contains($0.key) || keeping.contains($0.key) }
    }

    func exists(_ module: String) -> Bool { known.contains(module) }

    func isFirstParty(_ module: String) -> Bool {
        if module.utf8.first == UInt8(ascii: ".") { return true }
        return topLevel.contains(DottedName.top(of: module))
    }

    /// The origin of a whole module. A first-party module that is not in the tree is missing, unless the
    /// nearest module above it binds the next name: then it is an object registered as a module at run time
    /// (`six.moves`), which Canon cannot follow.
    func moduleOrigin(_ module: String) -> SymbolOrigin {
        if exists(module) { return .module(module) }
        guard isFirstParty(module) else { return .external(module: module, name: nil) }
        // By UTF-8 code unit: a dot is never part of a longer character in a module name.
        let utf8 = module.utf8
        let dot = UInt8(ascii: ".")
        var end = utf8.endIndex
        while let found = utf8[..<end].lastIndex(of: dot) {
            let nextStart = utf8.index(after: found)
            let next = String(module[nextStart..<(utf8[nextStart...].firstIndex(of: dot) ?? utf8.endIndex)])
            let prefix = String(module[..<found])
            end = found
            if let symbols = modules[prefix] {
                let bound = symbols.bindings[HashedName(next)].map { !$0.isImport(from: prefix) } ?? false
                if bound || symbols.dynamicNames.contains(next) || symbols.hasGetattr {
                    return .dynamic(module: prefix, name: String(module[nextStart...]))
                }
                break
            }
        }
        var candidate = module
        while !exists(candidate) {
            if nested.contains(candidate) { return .dynamic(module: module, name: "") }
            guard let found = candidate.lastIndex(ofASCII: dot) else { break }
            candidate = String(candidate[..<found])
        }
        return .missing(module: module, name: nil)
    }
}

/// A memo for a recursive computation over a graph that may have cycles. A computation that reaches a key
/// still in progress (a cycle) gets `.cycle`. A result whose computation met a cycle anywhere below it is not
/// memoized: it depends on where the computation entered the cycle, so kept, it would show through every later
/// request and make results depend on the order of requests. Each request computes it again, and gets what a
/// computation starting there gets, whatever was asked before.
struct CycleMemo<Key: Hashable, Value> {
    enum Start {
        case known(Value)
        case cycle
        /// The computation of the key started; pass the token back to `finish`.
        case started(Token)
    }

    struct Token {
        fileprivate let outerMetCycle: Bool
    }

    private(set) var values: [Key: Value] = [:]
    /// The keys being computed, innermost last: a few at a time, so a list is cheaper than a set, which
    /// would hash each key twice more.
    private var inProgress: [Key] = []
    /// Whether the computation in progress met a cycle (or was cut short).
    private var metCycle = false

    /// How many keys are being computed.
    var depth: Int { inProgress.count }

    /// Marks the computation in progress as depending on where it started (used when a computation is cut
    /// short), so that nothing on its way is memoized.
    mutating func markDependsOnRoot() { metCycle = true }

    mutating func start(_ key: Key) -> Start {
        if let known = values[key] { return .known(known) }
        if inProgress.contains(key) {
            metCycle = true
            return .cycle
        }
        let token = Token(outerMetCycle: metCycle)
        inProgress.append(key)
        metCycle = false
        return .started(token)
    }

    /// Ends the computation of `key`, memoizing its value unless the computation met a cycle; returns
    /// whether it did.
    @discardableResult
    mutating func finish(_ key: Key, _ value: Value, _ token: Token) -> Bool {
        // Computations nest, so the key finishing is the innermost one.
        precondition(inProgress.last == key, "CycleMemo: finish(\(key)) out of order")
        inProgress.removeLast()
        let kept = !metCycle
        if kept { values[key] = value }
        metCycle = metCycle || token.outerMetCycle
        return kept
    }
}

extension Array where Element: Comparable {
    /// Appends `element` to a sorted array, keeping it sorted.
    mutating func appendInOrder(_ element: Element) {
        append(element)
        var index = count - 1
        while index > 0, self[index - 1] > element {
            swapAt(index - 1, index)
            index -= 1
        }
    }
}
