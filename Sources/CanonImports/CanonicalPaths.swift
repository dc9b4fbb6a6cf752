import CanonCore

/// The import path a project symbol should be taken from, and why.
public struct CanonicalPath: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// The policy names this module as the canonical home of a concept the symbol belongs to.
        case concept(String)
        /// The policy declares the package a public API (`public_api:`).
        case publicAPI
        /// A package above the definition re-exports the name in its `__all__` (or as `import X as X`).
        case packageExport
        /// A package above the definition imports it in its `__init__`, without declaring it public.
        case packageImport
        /// Nothing better is known: the module that defines it.
        case definition
    }

    public var module: String
    /// The name the module offers it under.
    public var name: String
    public var reason: Reason

    /// The statement to write: `from module import name`.
    public var statement: String { "from \(module) import \(name)" }

    /// Why this path is canonical, for messages.
    public var why: String {
        switch reason {
        case .concept(let concept): "the canonical module of concept '\(concept)'"
        case .publicAPI: "a public API in the policy"
        case .packageExport: "the package's public API"
        case .packageImport: "imported by its package"
        case .definition: "where it is defined"
        }
    }
}

/// What the import rules share: the symbol imports grouped by the definition they reach, and the canonical
/// path of each definition.
struct ImportGraph {
    let context: DetectionContext
    let concepts: [ConceptMatcher]

    init(context: DetectionContext) {
        self.context = context
        self.concepts = context.settings.concepts.map(ConceptMatcher.init)
    }

    var index: ProjectIndex { context.index }

    /// The symbol imports that reach a project definition from another module, grouped by definition, in
    /// definition order; with `reportedOnly`, only the definitions that an import in a reported file reaches.
    func importsByDefinition(kinds: Set<ImportKind>, reportedOnly: Bool = false) -> [(site: DefinitionSite, imports: [SymbolImport])] {
        let symbols = index.symbols
        let wanted = index.reportedPaths == nil || !reportedOnly ? nil : Set(
            index.reportedModuleFiles.flatMap { symbols.imports(in: $0.path) }.compactMap(\.resolution.origin.definition))
        if wanted?.isEmpty == true { return [] }
        var groups: [DefinitionSite: [SymbolImport]] = [:]
        // Each file's imports are read in place, through the buffer, and only those taken are copied: most
        // resolve to no project definition.
        func take(from imports: [SymbolImport]) {
            imports.withUnsafeBufferPointer { imports in
                for k in imports.indices where kinds.contains(imports[k].kind) {
                    guard case .definition(let site) = imports[k].resolution.origin, site.module != imports[k].module,
                        wanted?.contains(site) ?? true
                    else { continue }
                    groups[site, default: []].append(imports[k])
                }
            }
        }
        for path in wanted.flatMap({ symbols.importingFiles(of: $0) }) ?? symbols.importingPaths {
            take(from: symbols.imports(in: path))
        }
        // Sorted by each path's rank among the paths rather than by the paths: the sort compared strings twice
        // (`!=`, then `<`) for each of its ~200,000 comparisons on a large tree, and moved the groups themselves.
        var rank: [String: Int] = [:]
        for path in Set(groups.keys.map(\.path)).sorted() { rank[path] = rank.count }
        let entries = Array(groups)
        let order = entries.indices.map { (rank: rank[entries[$0].key.path]!, range: entries[$0].key.range, entry: $0) }.sorted { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.range != b.range { return a.range < b.range }
            // Two definitions at one place (never seen) keep an order of their own, not the table's.
            let x = entries[a.entry].key
            let y = entries[b.entry].key
            return (x.name, x.module, x.kind.rawValue) < (y.name, y.module, y.kind.rawValue)
        }
        return order.map { (entries[$0.entry].key, entries[$0.entry].value) }
    }

    /// The path a definition should be imported through: the concept's canonical module, else a policy public
    /// API that binds it, else the top-most package above it that re-exports it and is not deprecated, else
    /// the top-most package above it whose `__init__` binds it at all and that files outside it import through
    /// at least as often as through the defining module (an undeclared re-export is the canonical path only if
    /// it is the one in use),
    /// else the defining module.
    func canonicalPath(for site: DefinitionSite, imports: [SymbolImport]) -> CanonicalPath {
        for matcher in concepts where matcher.matches(site.name) {
            if let module = matcher.concept.canonical {
                return CanonicalPath(module: module, name: name(of: site, in: module) ?? site.name, reason: .concept(matcher.concept.name))
            }
        }
        for module in context.settings.publicAPI {
            if let name = name(of: site, in: module) { return CanonicalPath(module: module, name: name, reason: .publicAPI) }
        }
        let exports = index.symbols.reExports(of: site).filter {
            ProjectIndex.isModule(site.module, within: $0.module) && !context.isDeprecated($0.module, name: $0.name)
        }
        if let best = exports.min(by: { ($0.module.count, $0.module, $0.name) < ($1.module.count, $1.module, $1.name) }) {
            return CanonicalPath(module: best.module, name: best.name, reason: .packageExport)
        }
        for ancestor in DottedName.packages(of: site.module).map(String.init).reversed() where index.file(forModule: ancestor)?.isPackage == true && !context.isDeprecated(ancestor) {
            let outside = imports.filter { !ProjectIndex.isModule($0.module, within: ancestor) }
            let filesByPath = Dictionary(uniqueKeysWithValues: Self.pathCounts(outside).map { ($0.path, $0.files) })
            guard (filesByPath[ancestor] ?? 0) >= (filesByPath[site.module] ?? 0), let name = name(of: site, in: ancestor) else { continue }
            return CanonicalPath(module: ancestor, name: name, reason: .packageImport)
        }
        return CanonicalPath(module: site.module, name: site.name, reason: .definition)
    }

    /// The name under which `module` binds the definition, preferring its own name.
    func name(of site: DefinitionSite, in module: String) -> String? {
        index.symbols.boundName(for: site, in: module)
    }

    /// Whether an import is a package's own business: the canonical path is a package (or the module itself)
    /// and the importing module is inside it. A package's modules take names from where they are defined, as
    /// they must: importing the package from inside it is circular.
    func isInternal(_ item: SymbolImport, canonical: CanonicalPath) -> Bool {
        let package = canonical.module
        if item.module == package { return true }
        guard ProjectIndex.isModule(item.module, within: package) else { return false }
        return index.file(forModule: package)?.isPackage ?? index.symbols.contains(module: package)
    }

    /// The concepts a definition belongs to.
    func concepts(of site: DefinitionSite) -> [Concept] {
        concepts.filter { $0.matches(site.name) }.map(\.concept)
    }

    /// Distinct import paths with the number of distinct files using each, most used first.
    static func pathCounts(_ imports: [SymbolImport]) -> [(path: String, files: Int)] {
        var files: [String: Set<String>] = [:]
        for item in imports { files[item.source, default: []].insert(item.path) }
        return files.map { ($0.key, $0.value.count) }.sorted { $0.files != $1.files ? $0.files > $1.files : $0.path < $1.path }
    }

    /// "1 file", "3 files".
    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
