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
    let projectModules: Set<String>
    /// Every import, one per importing statement and imported module, in path and line order.
    let edges: [Edge]
    private let outgoing: [String: [Int]]
    private let incoming: [String: [Int]]

    /// The graph of the imports of the given kinds; `keep` can drop edges, such as those a contract excuses.
    init(index: ProjectIndex, kinds: Set<ImportKind>, keep: (Edge) -> Bool = { _ in true }) {
        let files = index.moduleFiles
        var modules: Set<String> = []
        for file in files where !file.module.isEmpty && !file.module.hasPrefix(".") {
            var parts = file.module.split(separator: ".")
            while !parts.isEmpty {
                modules.insert(parts.joined(separator: "."))
                parts.removeLast()
            }
        }
        var edges: [Edge] = []
        var seen: Set<String> = []
        for file in files {
            for fact in file.imports where kinds.contains(fact.kind) {
                guard let target = Self.resolve(fact, modules: modules), target != file.module else { continue }
                let key = "\(file.path)\u{0}\(target)\u{0}\(fact.statementRange)"
                guard seen.insert(key).inserted else { continue }
                let edge = Edge(
                    importer: file.module, imported: target, kind: fact.kind,
                    location: SourceLocation(path: file.path, range: fact.range))
                if keep(edge) { edges.append(edge) }
            }
        }
        edges.sort { $0.location < $1.location }
        var outgoing: [String: [Int]] = [:]
        var incoming: [String: [Int]] = [:]
        for (offset, edge) in edges.enumerated() {
            outgoing[edge.importer, default: []].append(offset)
            incoming[edge.imported, default: []].append(offset)
        }
        self.projectModules = modules
        self.edges = edges
        self.outgoing = outgoing
        self.incoming = incoming
    }

    /// The module an import reaches, or nil for a relative import that climbs above the top package.
    static func resolve(_ fact: ImportFact, modules: Set<String>) -> String? {
        guard !fact.module.hasPrefix("."), !fact.module.isEmpty || fact.form == .from else { return nil }
        if fact.form == .from, let name = fact.name, name != "*" {
            let candidate = fact.module.isEmpty ? name : "\(fact.module).\(name)"
            if modules.contains(candidate) { return candidate }
        }
        return fact.module.isEmpty ? nil : fact.module
    }

    /// The edges leaving `module`, in path and line order.
    func edges(from module: String) -> [Edge] { (outgoing[module] ?? []).map { edges[$0] } }

    /// Every module named in the graph: the project's and those it imports.
    var nodes: Set<String> { projectModules.union(edges.map(\.imported)) }

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

    /// The imports by which modules on the `source` side reach the `target` side: each edge leaving the
    /// source side that lands on the target side, or (when `indirect`) that starts a chain reaching it through
    /// modules that are neither on the source side nor `blocked`. The chain given is a shortest one.
    func breaches(
        from source: (String) -> Bool, to target: (String) -> Bool, blocked: (String) -> Bool = { _ in false },
        indirect: Bool
    ) -> [Breach] {
        var next: [String: Int] = [:]
        if indirect {
            var queue = nodes.filter(target).sorted()
            var visited = Set(queue)
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                for offset in incoming[node] ?? [] {
                    let importer = edges[offset].importer
                    guard !visited.contains(importer), !source(importer), !blocked(importer), !target(importer) else { continue }
                    visited.insert(importer)
                    next[importer] = offset
                    queue.append(importer)
                }
            }
        }
        var result: [Breach] = []
        for edge in edges where source(edge.importer) && !source(edge.imported) && !blocked(edge.imported) {
            if target(edge.imported) {
                result.append(Breach(edge: edge, chain: []))
            } else if indirect, var step = next[edge.imported] {
                var chain: [Edge] = []
                while true {
                    chain.append(edges[step])
                    guard let following = next[edges[step].imported] else { break }
                    step = following
                }
                result.append(Breach(edge: edge, chain: chain))
            }
        }
        return result
    }

    /// Whether any edge of the graph matches `exception`. An import of a module outside the project also
    /// matches by its top-level package, as import-linter names such modules.
    func matches(_ exception: ImportException) -> Bool {
        edges.contains { Self.excuses(exception, $0, projectModules: projectModules) }
    }

    static func excuses(_ exception: ImportException, _ edge: Edge, projectModules: Set<String>) -> Bool {
        guard exception.importer.matches(edge.importer) else { return false }
        if exception.imported.matches(edge.imported) { return true }
        guard !projectModules.contains(edge.imported), let top = edge.imported.split(separator: ".").first else { return false }
        return exception.imported.matches(String(top))
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
