import CanonCore

/// Reports cycles of imports between the project's modules (or, with `depth`, between its packages), one
/// finding per tangle: at its first import in path order, with a shortest cycle through it as related places.
public struct ImportCycleDetector: Detector {
    public struct Options: DetectorOptions, Hashable {
        /// Which imports count.
        public var importKinds: [ImportKind] = [.runtime, .fallback]
        /// 0 for cycles between modules; N for cycles between packages N names deep.
        public var depth = 0
        /// Module patterns whose imports never count, either way.
        public var allow: [String] = []

        public init() {}

        enum CodingKeys: String, CodingKey {
            case importKinds = "import_kinds"
            case depth
            case allow
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            importKinds = try container.decode([ImportKind].self, forKey: .importKinds)
            depth = try container.decode(Int.self, forKey: .depth)
            allow = try container.decode([String].self, forKey: .allow)
            guard depth >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .depth, in: container, debugDescription: "depth \(depth) is negative; use 0 for modules or N for packages N names deep")
            }
            for pattern in allow {
                do {
                    _ = try ModulePattern(pattern)
                } catch {
                    throw DecodingError.dataCorruptedError(forKey: .allow, in: container, debugDescription: error.description)
                }
            }
        }
    }

    public static let description = RuleDescription(
        id: "import_cycle",
        code: "LAY003",
        family: .layers,
        summary: "Modules import each other in a cycle",
        rationale: """
            Modules that import each other are one concept split across files: neither can be understood, \
            tested or moved alone, the import order decides whether a name exists yet, and the cycle is where \
            the second home of a concept hides. Each tangle (a strongly connected group of modules) is reported \
            once, at its first import in path order, with a shortest cycle through that import as related \
            places. Imports under `if TYPE_CHECKING:` and inside functions do not run on import and are left \
            out by default. With `depth` the cycle is looked for between packages (`depth: 2` groups \
            `app.api.views` into `app.api`). Break the cycle by moving what both need into a module both \
            import, or by passing it in.
            """,
        defaultSeverity: .warning,
        options: [
            ContractOptions.importKindsOption,
            OptionDescription("depth", "0 finds cycles between modules; N groups modules into their packages N names deep first"),
            OptionDescription("allow", "module patterns (app.compat, app.**.signals) whose imports never count towards a cycle"),
        ],
        triggeringExamples: [
            Example(files: [
                ExampleFile("app/a.py", "from app import ↓b\n"),
                ExampleFile("app/b.py", "from app import c\n"),
                ExampleFile("app/c.py", "import app.a\n"),
            ]),
            Example(
                files: [
                    ExampleFile("app/api/views.py", "from app.core.models import ↓Order\n"),
                    ExampleFile("app/core/models.py", "X = 1\n"),
                    ExampleFile("app/core/signals.py", "from app.api.views import handler\n"),
                ],
                options: "depth: 2"),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile("app/a.py", "from app import b\n"),
                ExampleFile("app/b.py", "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.a import A\n"),
                ExampleFile("app/c.py", "def load():\n    from app import a\n"),
                ExampleFile("app/d.py", "from app import c\n"),
            ]),
            Example(
                files: [
                    ExampleFile("app/api/views.py", "from app.core.models import Order\n"),
                    ExampleFile("app/core/models.py", "X = 1\n"),
                    ExampleFile("app/core/signals.py", "from app.api.views import handler\n"),
                ]),
            Example(
                files: [
                    ExampleFile("app/a.py", "from app import compat\n"),
                    ExampleFile("app/compat.py", "from app import a\n"),
                ],
                options: "allow: [app.compat]"),
        ])

    private let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        // A check of a few files (an editor's one-file rescan) looks only at the tangles holding them, in the
        // graph kept across checks; findings elsewhere would be dropped.
        if context.index.reportsFewFiles, let reported = context.index.reportedPaths {
            let graph = context.derived(CycleGraph.self, parameters: options)
            var seen: Set<String> = []
            return reported.sorted().compactMap { path -> Violation? in
                guard let file = context.index.file(atPath: path), context.index.file(forModule: file.module)?.path == path,
                    seen.insert(graph.group(file.module)).inserted
                else { return nil }
                return graph.violation(around: graph.group(file.module))
            }
        }
        let allowed = options.allow.compactMap { try? ModulePattern($0) }
        let graph = ModuleGraph(index: context.index, kinds: Set(options.importKinds))
        func group(_ module: String) -> String { CycleGraph.group(module, depth: options.depth) }
        let edges = graph.edges.filter { edge in
            CycleGraph.counts(edge, projectModules: graph.projectModules, allowed: allowed, depth: options.depth)
        }
        var firstEdge: [String: [String: Int]] = [:]
        for (offset, edge) in edges.enumerated() where firstEdge[group(edge.importer)]?[group(edge.imported)] == nil {
            firstEdge[group(edge.importer), default: [:]][group(edge.imported)] = offset
        }
        let successors = firstEdge.mapValues { $0.keys.sorted() }
        let components = Self.stronglyConnectedComponents(successors).filter { $0.count > 1 }
        // The first edge inside each tangle, found in one pass over the edges (not one pass per tangle).
        var componentOf: [String: Int] = [:]
        for (number, component) in components.enumerated() {
            for member in component { componentOf[member] = number }
        }
        var starts = [Int?](repeating: nil, count: components.count)
        var unstarted = components.count
        for (offset, edge) in edges.enumerated() where unstarted > 0 {
            guard let number = componentOf[group(edge.importer)], starts[number] == nil, componentOf[group(edge.imported)] == number
            else { continue }
            starts[number] = offset
            unstarted -= 1
        }
        var violations: [Violation] = []
        for (component, start) in zip(components, starts) {
            guard let start else { continue }
            violations.append(Self.violation(
                first: edges[start], component: component, depth: options.depth, group: group,
                successors: { successors[$0] ?? [] }, firstEdge: { edges[firstEdge[$0]![$1]!] }))
        }
        return violations
    }

    /// The finding for the tangle `component` whose first import in path order is `first`: a shortest cycle
    /// through it, each step the first import from one member to the next.
    static func violation(
        first: ModuleGraph.Edge, component: [String], depth: Int, group: (String) -> String,
        successors: (String) -> [String], firstEdge: (String, String) -> ModuleGraph.Edge
    ) -> Violation {
        let members = Set(component)
        let back = shortestPath(from: group(first.imported), to: group(first.importer), within: members, successors: successors)
        let route = back.enumerated().map { offset, node -> ModuleGraph.Edge in
            firstEdge(offset == 0 ? group(first.imported) : back[offset - 1], node)
        }
        let names = [group(first.importer), group(first.imported)] + back
        let extent = component.count > names.count - 1 ? " (one cycle of a tangle of \(component.count) \(depth == 0 ? "modules" : "packages"))" : ""
        return Violation(
            location: first.location,
            message: "import cycle: \(names.joined(separator: " -> "))\(extent); move what they share into a module both import",
            subject: "cycle: " + component.sorted().joined(separator: ", "),
            related: route.map { RelatedLocation(location: $0.location, message: "\($0.importer) imports \($0.imported)") })
    }

    /// The nodes after `start` on a shortest path to `goal` that stays within `members`, ending with `goal`.
    static func shortestPath(from start: String, to goal: String, within members: Set<String>, successors: (String) -> [String]) -> [String] {
        guard start != goal else { return [] }
        var previous: [String: String] = [start: start]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for next in successors(node) where members.contains(next) && previous[next] == nil {
                previous[next] = node
                if next == goal {
                    var path = [goal]
                    while let before = previous[path[0]], before != start { path.insert(before, at: 0) }
                    return path
                }
                queue.append(next)
            }
        }
        return [goal]
    }

    /// Tarjan's algorithm, without recursion so deep import chains cannot overflow the stack; nodes are
    /// visited in sorted order so the result does not depend on dictionary order.
    static func stronglyConnectedComponents(_ successors: [String: [String]]) -> [[String]] {
        var index: [String: Int] = [:]
        var lowLink: [String: Int] = [:]
        var onStack: Set<String> = []
        var stack: [String] = []
        var components: [[String]] = []
        var counter = 0
        let nodes = Set(successors.keys).union(successors.values.flatMap { $0 }).sorted()
        for root in nodes where index[root] == nil {
            var work: [(node: String, next: Int)] = [(root, 0)]
            index[root] = counter
            lowLink[root] = counter
            counter += 1
            stack.append(root)
            onStack.insert(root)
            while var frame = work.popLast() {
                let children = successors[frame.node] ?? []
                if frame.next < children.count {
                    let child = children[frame.next]
                    frame.next += 1
                    work.append(frame)
                    if index[child] == nil {
                        index[child] = counter
                        lowLink[child] = counter
                        counter += 1
                        stack.append(child)
                        onStack.insert(child)
                        work.append((child, 0))
                    } else if onStack.contains(child) {
                        lowLink[frame.node] = min(lowLink[frame.node]!, index[child]!)
                    }
                    continue
                }
                if let parent = work.last {
                    lowLink[parent.node] = min(lowLink[parent.node]!, lowLink[frame.node]!)
                }
                if lowLink[frame.node] == index[frame.node] {
                    var component: [String] = []
                    while let top = stack.popLast() {
                        onStack.remove(top)
                        component.append(top)
                        if top == frame.node { break }
                    }
                    components.append(component.sorted())
                }
            }
        }
        return components
    }
}

/// The imports `import_cycle` counts under some options, kept by the first import of each pair of (grouped)
/// modules and by the modules importing each one, so the tangle holding one module can be found without
/// walking the project, and one file's imports can be swapped when it changes.
struct CycleGraph: ParameterizedDerived {
    typealias Parameters = ImportCycleDetector.Options

    private let options: ImportCycleDetector.Options
    private let allowed: [ModulePattern]
    private let projectModules: Set<String>
    /// Every counted import from one node to another, in path and line order.
    private var pairs: [String: [String: [ModuleGraph.Edge]]] = [:]
    /// The nodes importing each node.
    private var importers: [String: Set<String>] = [:]

    init(index: ProjectIndex, parameters: ImportCycleDetector.Options) {
        options = parameters
        allowed = parameters.allow.compactMap { try? ModulePattern($0) }
        let graph = ModuleGraph(index: index, kinds: Set(parameters.importKinds))
        projectModules = graph.projectModules
        for edge in graph.edges where Self.counts(edge, projectModules: projectModules, allowed: allowed, depth: parameters.depth) {
            add(edge)
        }
    }

    /// The node `module` belongs to: itself, or its package `depth` names deep.
    static func group(_ module: String, depth: Int) -> String {
        depth == 0 ? module : DottedName.parts(of: module).prefix(depth).joined(separator: ".")
    }

    func group(_ module: String) -> String { Self.group(module, depth: options.depth) }

    /// Whether `edge` counts towards a cycle: it reaches a project module in another node, and no allowed
    /// pattern covers either end.
    static func counts(_ edge: ModuleGraph.Edge, projectModules: Set<String>, allowed: [ModulePattern], depth: Int) -> Bool {
        projectModules.contains(edge.imported) && group(edge.importer, depth: depth) != group(edge.imported, depth: depth)
            && !allowed.contains { $0.covers(edge.importer) || $0.covers(edge.imported) }
    }

    private mutating func add(_ edge: ModuleGraph.Edge) {
        let (from, to) = (group(edge.importer), group(edge.imported))
        var list = pairs[from]?[to] ?? []
        var low = list.count
        while low > 0, edge.location < list[low - 1].location { low -= 1 }
        list.insert(edge, at: low)
        pairs[from, default: [:]][to] = list
        importers[to, default: []].insert(from)
    }

    private mutating func remove(_ edge: ModuleGraph.Edge) {
        let (from, to) = (group(edge.importer), group(edge.imported))
        guard var list = pairs[from]?[to] else { return }
        list.removeAll { $0 == edge }
        if list.isEmpty {
            pairs[from]?[to] = nil
            if pairs[from]?.isEmpty == true { pairs[from] = nil }
            importers[to]?.remove(from)
            if importers[to]?.isEmpty == true { importers[to] = nil }
        } else {
            pairs[from]?[to] = list
        }
    }

    private func counted(in file: FileFacts) -> [ModuleGraph.Edge] {
        ModuleGraph.edges(of: file, modules: projectModules, kinds: Set(options.importKinds)).filter {
            Self.counts($0, projectModules: projectModules, allowed: allowed, depth: options.depth)
        }
    }

    /// The same file and module keep the project's modules as they were: only the file's imports change.
    func replacing(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> CycleGraph? {
        var graph = self
        return graph.replace(old, with: new, in: index) ? graph : nil
    }

    mutating func replace(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> Bool {
        guard old.path == new.path, old.module == new.module else { return false }
        guard index.file(forModule: new.module)?.path == new.path else { return true }
        for edge in counted(in: old) { remove(edge) }
        for edge in counted(in: new) { add(edge) }
        return true
    }

    private func successors(_ node: String) -> [String] { pairs[node].map { $0.keys.sorted() } ?? [] }

    private func reach(from node: String, along next: (String) -> [String]) -> Set<String> {
        var reached: Set<String> = [node]
        var pending = [node]
        while let current = pending.popLast() {
            for other in next(current) where reached.insert(other).inserted { pending.append(other) }
        }
        return reached
    }

    /// The finding for the tangle holding `node`, as the whole graph's check gives it; nil when it is in none.
    func violation(around node: String) -> Violation? {
        guard pairs[node] != nil, importers[node] != nil else { return nil }
        let members = reach(from: node) { pairs[$0].map { Array($0.keys) } ?? [] }
            .intersection(reach(from: node) { importers[$0].map(Array.init) ?? [] })
        guard members.count > 1 else { return nil }
        var first: ModuleGraph.Edge?
        for from in members {
            for (to, edges) in pairs[from] ?? [:] where members.contains(to) {
                if first == nil || edges[0].location < first!.location { first = edges[0] }
            }
        }
        guard let first else { return nil }
        return ImportCycleDetector.violation(
            first: first, component: members.sorted(), depth: options.depth, group: group, successors: successors,
            firstEdge: { pairs[$0]![$1]![0] })
    }
}
