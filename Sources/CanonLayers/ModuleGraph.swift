import CanonCore

/// The options of the contract rules: which imports count.
public struct ContractOptions: DetectorOptions {
    /// Which imports count.
    public var importKinds: [ImportKind] = [.runtime, .function, .fallback]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case importKinds = "import_kinds"
    }

    static let importKindsOption = OptionDescription(
        "import_kinds",
        "which imports count: runtime, function (inside a function body), fallback (in a try that catches ImportError), type_checking (under if TYPE_CHECKING)")
}

/// The project's imports as a graph of modules: what the layers family reads.
///
/// Nodes are dotted module names: the project's modules with every package above them (namespace packages
/// included), and the modules outside the project that it imports, named as written. An import resolves to
/// the most precise module it names: `from app.api import views` is an edge to `app.api.views` when that is a
/// module, else to `app.api`.
struct ModuleGraph {
    struct Edge: Hashable {
        var importer: String
        var imported: String
        var kind: ImportKind
        /// The imported name's range in the importing file.
        var location: SourceLocation
    }

    /// The project's modules and the packages that hold them.
    let projectModules: NameSet
    /// Every import, one per importing statement and imported module, in path and line order.
    let edges: [Edge]
    private let outgoing: [String: [Int]]

    /// The graph of the imports of the given kinds; `keep` can drop edges, such as those a contract excuses.
    init(index: ProjectIndex, kinds: Set<ImportKind>, keep: (Edge) -> Bool = { _ in true }) {
        let files = index.moduleFiles
        let modules = Self.projectModules(of: files)
        var edges: [Edge] = []
        for offset in files.indices {
            for edge in Self.edges(of: files[offset], modules: modules, kinds: kinds) where keep(edge) { edges.append(edge) }
        }
        edges.sort { $0.location < $1.location }
        var outgoing: [String: [Int]] = [:]
        // A run of edges from one importer (a file's imports, in path order) is filed at one lookup.
        var run = 0
        for offset in edges.indices where offset + 1 == edges.count || edges[offset + 1].importer != edges[run].importer {
            outgoing[edges[run].importer, default: []].append(contentsOf: run...offset)
            run = offset + 1
        }
        self.projectModules = modules
        self.edges = edges
        self.outgoing = outgoing
    }

    /// The modules of `files` (an index's `moduleFiles`) and the packages that hold them.
    static func projectModules(of files: [FileFacts]) -> NameSet {
        var modules = NameSet()
        // By index, so that no file is copied whole to read its module.
        for offset in files.indices {
            let module = files[offset].module
            guard !module.isEmpty && !module.hasPrefix(".") else { continue }
            if modules.insert(module) { DottedName.addPackages(of: module, to: &modules) }
        }
        return modules
    }

    /// The imports of the given kinds in `file`, a module standing for itself, one per importing statement
    /// and imported module, in the order the file lists them.
    static func edges(of file: FileFacts, modules: NameSet, kinds: Set<ImportKind>) -> [Edge] {
        var edges: [Edge] = []
        // The targets of the statement being read: a statement's imports are listed together, and one has few
        // targets, so a short list serves where a set of every statement's would hash each import twice.
        var statement: SourceRange?
        var targets: [String] = []
        var known = LastAnswer<Bool>()
        func isModule(_ module: String) -> Bool { known.value(for: module) { modules.contains($0) } }
        // By index: each import's fields are read in place rather than the import copied out with its strings.
        for k in file.imports.indices where kinds.contains(file.imports[k].kind) {
            guard let target = Self.resolve(
                module: file.imports[k].module, name: file.imports[k].form == .from ? file.imports[k].name : nil,
                modules: modules, isModule: isModule),
                target != file.module
            else { continue }
            if file.imports[k].statementRange != statement {
                statement = file.imports[k].statementRange
                targets.removeAll(keepingCapacity: true)
            }
            guard !targets.contains(target) else { continue }
            targets.append(target)
            edges.append(Edge(
                importer: file.module, imported: target, kind: file.imports[k].kind,
                location: SourceLocation(path: file.path, range: file.imports[k].range)))
        }
        return edges
    }

    /// The module an import (`import module`, or `from module import name` when `name` is given) reaches, or
    /// nil for a relative import that climbs above the top package. Given the import's parts, not the import:
    /// handing over an import copies it, every string retained.
    /// `isModule` answers whether `module` is one of `modules`.
    static func resolve(module: String, name: String?, modules: NameSet, isModule: (String) -> Bool) -> String? {
        guard !module.hasPrefix("."), !module.isEmpty || name != nil else { return nil }
        // `m.name` can be a module only when `m` is one of the project's (most imports are from outside it).
        if let name, name != "*", module.isEmpty || isModule(module) {
            let candidate = module.isEmpty ? name : DottedName.join(module, name)
            if modules.contains(candidate) { return candidate }
        }
        return module.isEmpty ? nil : module
    }

    /// Whether `module` is `package` or inside it.
    static func isInside(_ module: String, _ package: String) -> Bool {
        module == package || module.hasPrefix(package + ".")
    }

    /// An import that breaks a rule: the edge where the chain leaves the importing side, and, for an indirect
    /// chain, the further edges that lead to the forbidden side.
    struct Breach {
        var edge: Edge
        var chain: [Edge]

        /// The whole route as `a -> b -> c`.
        var route: String { ([edge.importer, edge.imported] + chain.map(\.imported)).joined(separator: " -> ") }

        var related: [RelatedLocation] {
            chain.map { RelatedLocation(location: $0.location, message: "\($0.importer) imports \($0.imported)") }
        }

        /// The finding: the import, the route when it is indirect, and why it is not allowed.
        func violation(contract: String, reason: String) -> Violation {
            let via = chain.last.map { ", which leads to \($0.imported) (\(route))" } ?? ""
            return Violation(
                location: edge.location, message: "'\(edge.importer)' imports '\(edge.imported)'\(via): \(reason)",
                subject: "\(contract): \(edge.importer) -> \(edge.imported)", related: related)
        }
    }

    /// The breaches, direct or indirect, of `lower` importing `higher` where both are modules of a set that
    /// a contract orders (`all`): as import-linter does, a chain through another module of the set is not
    /// this pair's breach but that module's.
    func breaches(of lower: String, importing higher: String, amid all: [String]) -> [Breach] {
        let others = all.filter { $0 != lower && $0 != higher }
        return breaches(
            from: { Self.isInside($0, lower) }, to: { Self.isInside($0, higher) },
            blocked: { module in others.contains { Self.isInside(module, $0) } }, indirect: true)
    }

    /// The imports by which modules on the `source` side reach the `target` side: every edge from the source
    /// side to the target side, and (when `indirect`) the chains through modules on neither side nor
    /// `blocked`. Chains are found as import-linter (grimp) finds them: with each side taken as one node, a
    /// shortest chain is taken, its imports are set aside, and the next shortest is sought until none is
    /// left; each import by which the source side enters a chain is one breach.
    func breaches(
        from source: (String) -> Bool, to target: (String) -> Bool, blocked: (String) -> Bool = { _ in false },
        indirect: Bool
    ) -> [Breach] {
        var result = edges.filter { source($0.importer) && !source($0.imported) && target($0.imported) }
            .map { Breach(edge: $0, chain: []) }
        guard indirect else { return result }
        func passable(_ module: String) -> Bool { !source(module) && !target(module) && !blocked(module) }
        var usedEntries: Set<String> = []
        var usedExits: Set<String> = []
        var usedLinks: Set<[String]> = []
        while true {
            var reachedBy: [String: Int] = [:]
            var queue: [String] = []
            for (offset, edge) in edges.enumerated()
            where source(edge.importer) && passable(edge.imported) && !usedEntries.contains(edge.imported)
                && reachedBy[edge.imported] == nil
            {
                reachedBy[edge.imported] = offset
                queue.append(edge.imported)
            }
            var found: Int?
            var head = 0
            search: while head < queue.count {
                let node = queue[head]
                head += 1
                for offset in outgoing[node] ?? [] {
                    let next = edges[offset].imported
                    if target(next) {
                        guard !usedExits.contains(node) else { continue }
                        found = offset
                        break search
                    }
                    if passable(next) && reachedBy[next] == nil && !usedLinks.contains([node, next]) {
                        reachedBy[next] = offset
                        queue.append(next)
                    }
                }
            }
            guard let found else { break }
            var chain = [edges[found]]
            while let offset = reachedBy[chain[0].importer], !source(edges[offset].importer) {
                chain.insert(edges[offset], at: 0)
            }
            let entry = chain[0].importer
            usedEntries.insert(entry)
            usedExits.insert(edges[found].importer)
            for link in chain.dropLast() { usedLinks.insert([link.importer, link.imported]) }
            result += edges.filter { source($0.importer) && $0.imported == entry }.map { Breach(edge: $0, chain: chain) }
        }
        return result.sorted { $0.edge.location < $1.edge.location }
    }

    /// Whether any edge of the graph matches `exception`. An import of a module outside the project also
    /// matches by its top-level package, as import-linter names such modules.
    func matches(_ exception: ImportException) -> Bool {
        edges.contains { Self.excuses(exception, $0, projectModules: projectModules) }
    }

    static func excuses(_ exception: ImportException, _ edge: Edge, projectModules: NameSet) -> Bool {
        guard exception.importer.matches(edge.importer) else { return false }
        if exception.imported.matches(edge.imported) { return true }
        let top = DottedName.top(of: edge.imported)
        guard !projectModules.contains(edge.imported), !top.isEmpty else { return false }
        return exception.imported.matches(top)
    }

    /// The graph without the edges any of `exceptions` excuse.
    static func excusing(_ exceptions: [ImportException], index: ProjectIndex, kinds: Set<ImportKind>) -> ModuleGraph {
        guard !exceptions.isEmpty else { return ModuleGraph(index: index, kinds: kinds) }
        let modules = ModuleGraph(index: index, kinds: []).projectModules
        return ModuleGraph(index: index, kinds: kinds) { edge in
            !exceptions.contains { excuses($0, edge, projectModules: modules) }
        }
    }

    /// The project's modules that `patterns` match, in order without repeats, and a violation at the
    /// contract's place in the policy for each pattern that matches none (`what` names the pattern's role).
    func expand(
        _ patterns: [ModulePattern], what: String, contract: String, mark: ConfigMark?, context: DetectionContext
    ) -> (modules: [String], missing: [Violation]) {
        var modules: [String] = []
        var missing: [Violation] = []
        for pattern in patterns {
            let found = projectModules(matching: pattern)
            if found.isEmpty, let mark {
                missing.append(Violation(
                    location: context.location(of: mark, length: 1),
                    message: "\(what) '\(pattern)' of contract '\(contract)' matches no module; fix the name or remove it",
                    subject: "\(contract): \(pattern)"))
            }
            modules += found.filter { !modules.contains($0) }
        }
        return (modules, missing)
    }

    /// The modules of the project matching `pattern`, sorted.
    func projectModules(matching pattern: ModulePattern) -> [String] {
        projectModules.filter(pattern.matches).sorted()
    }

    /// The first file in path order that is `module` or lies inside it, for findings about a whole module.
    static func firstFile(of module: String, in index: ProjectIndex) -> FileFacts? {
        index.file(forModule: module) ?? index.moduleFiles.first { isInside($0.module, module) }
    }
}
