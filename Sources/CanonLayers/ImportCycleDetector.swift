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

        /// `allow` compiled (the decoder checked each pattern).
        var allowedPatterns: [ModulePattern] { allow.compactMap { try? ModulePattern($0) } }

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

    /// A file's imports that count towards a cycle (`CycleGraph.counts`): all the rule reads of it. Which
    /// modules the project has, and which file stands for each, an edit of facts leaves as they were.
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? {
        let project = context.derived(ProjectModules.self)
        var hash = InputHash()
        hash.add(file.path)
        hash.add(file.module)
        guard project.standingPaths.contains(file.path) else { return hash.value }
        let edges = CycleGraph.counted(in: file, projectModules: project.modules, allowed: options.allowedPatterns, options: options)
        hash.add(unordered: edges.map { edge in
            var hash = InputHash()
            hash.add(edge.imported)
            hash.add(edge.kind.rawValue)
            hash.add(edge.location.range)
            return hash.value
        })
        return hash.value
    }

    public static var readsResolutions: Bool { false }

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
        let allowed = options.allowedPatterns
        let modules = ModuleGraph(index: context.index, kinds: Set(options.importKinds))
        func group(_ module: String) -> String { CycleGraph.group(module, depth: options.depth) }
        let edges = modules.edges.filter { edge in
            CycleGraph.counts(edge, projectModules: modules.projectModules, allowed: allowed, depth: options.depth)
        }
        let graph = NodeGraph(edges: edges, group: group)
        let components = Self.stronglyConnectedComponents(graph).filter { $0.count > 1 }
        // The first edge inside each tangle, found in one pass over the edges (not one pass per tangle).
        var componentOf = [Int?](repeating: nil, count: graph.names.count)
        for (number, component) in components.enumerated() {
            for member in component { componentOf[member] = number }
        }
        var starts = [Int?](repeating: nil, count: components.count)
        var unstarted = components.count
        for (offset, ends) in graph.ends.enumerated() where unstarted > 0 {
            guard let number = componentOf[ends.from], starts[number] == nil, componentOf[ends.to] == number else { continue }
            starts[number] = offset
            unstarted -= 1
        }
        var violations: [Violation] = []
        for (component, start) in zip(components, starts) {
            guard let start else { continue }
            violations.append(Self.violation(
                first: edges[start], component: component.map { graph.names[$0] }, depth: options.depth, group: group,
                successors: { graph.successors(of: $0).map { graph.names[$0.node] } },
                firstEdge: { from, to in edges[graph.successors(of: from).first { graph.names[$0.node] == to }!.edge] }))
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

    /// Tarjan's algorithm, without recursion so deep import chains cannot overflow the stack; nodes and
    /// successors are visited in name order, so the result does not depend on dictionary order. Each component
    /// is in name order.
    static func stronglyConnectedComponents(_ graph: NodeGraph) -> [[Int]] {
        let count = graph.names.count
        var index = [Int](repeating: -1, count: count)
        var lowLink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var components: [[Int]] = []
        var counter = 0
        for root in 0..<count where index[root] < 0 {
            var work: [(node: Int, next: Int)] = [(root, graph.start[root])]
            index[root] = counter
            lowLink[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while var frame = work.popLast() {
                if frame.next < graph.start[frame.node + 1] {
                    let child = graph.targets[frame.next]
                    frame.next += 1
                    work.append(frame)
                    if index[child] < 0 {
                        index[child] = counter
                        lowLink[child] = counter
                        counter += 1
                        stack.append(child)
                        onStack[child] = true
                        work.append((child, graph.start[child]))
                    } else if onStack[child] {
                        lowLink[frame.node] = min(lowLink[frame.node], index[child])
                    }
                    continue
                }
                if let parent = work.last {
                    lowLink[parent.node] = min(lowLink[parent.node], lowLink[frame.node])
                }
                if lowLink[frame.node] == index[frame.node] {
                    var component: [Int] = []
                    while let top = stack.popLast() {
                        onStack[top] = false
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

/// The counted imports of a whole-project check as a graph of numbered nodes: each node (a module, or a package
/// with `depth`) numbered in name order, so that ordering numbers orders names, and each pair of nodes kept
/// once, by its first import. Built with one lookup per import, not the several a graph keyed by names made
/// for every step.
struct NodeGraph {
    /// The nodes' names, by number.
    let names: [String]
    /// Each import's nodes, in the order of the imports.
    let ends: [(from: Int, to: Int)]
    /// The successors of node `n` are `targets[start[n]..<start[n + 1]]`, in name order.
    let start: [Int]
    let targets: [Int]
    /// For each of `targets`, the offset of the first import from its node to it.
    let firstEdges: [Int]

    init(edges: [ModuleGraph.Edge], group: (String) -> String) {
        var numbers = NameTable<Int>()
        var found: [String] = []
        func number(_ name: String) -> Int {
            if let known = numbers[name] { return known }
            numbers[name] = found.count
            found.append(name)
            return found.count - 1
        }
        var provisional: [(from: Int, to: Int)] = []
        provisional.reserveCapacity(edges.count)
        // Edges come in path order, so runs share their importer: it is looked up once a run.
        var last: (importer: String, node: Int)?
        for edge in edges {
            let from: Int
            if let last, last.importer == edge.importer {
                from = last.node
            } else {
                from = number(group(edge.importer))
                last = (edge.importer, from)
            }
            provisional.append((from, number(group(edge.imported))))
        }
        let order = found.indices.sorted { found[$0] < found[$1] }
        var rank = [Int](repeating: 0, count: found.count)
        for (position, node) in order.enumerated() { rank[node] = position }
        let names = order.map { found[$0] }
        let ends = provisional.map { (from: rank[$0.from], to: rank[$0.to]) }
        let pairs = ends.indices.sorted { a, b in
            (ends[a].from, ends[a].to, a) < (ends[b].from, ends[b].to, b)
        }
        var start = [Int](repeating: 0, count: names.count + 1)
        var targets: [Int] = []
        var firstEdges: [Int] = []
        for offset in pairs {
            let (from, to) = ends[offset]
            if let previous = firstEdges.last, ends[previous] == (from, to) { continue }
            targets.append(to)
            firstEdges.append(offset)
            start[from + 1] += 1
        }
        for node in names.indices { start[node + 1] += start[node] }
        self.names = names
        self.ends = ends
        self.start = start
        self.targets = targets
        self.firstEdges = firstEdges
    }

    /// The successors of the node named `name`, each with the offset of the first import to it, in name order.
    func successors(of name: String) -> [(node: Int, edge: Int)] {
        guard let node = number(of: name) else { return [] }
        return (start[node]..<start[node + 1]).map { (targets[$0], firstEdges[$0]) }
    }

    private func number(of name: String) -> Int? {
        let low = names.partitioningIndex { $0 >= name }
        return low < names.count && names[low] == name ? low : nil
    }
}

/// The project's modules with the packages that hold them, and the paths of the files that stand for modules
/// (`ProjectIndex.moduleFiles`): what `import_cycle` reads of the project to tell a file's imports that count.
struct ProjectModules: IndexDerived {
    let modules: NameSet
    let standingPaths: Set<String>

    init(index: ProjectIndex) {
        let standing = index.moduleFiles
        modules = ModuleGraph.projectModules(of: standing)
        standingPaths = Set(standing.map(\.path))
    }
}

/// The imports `import_cycle` counts under some options, kept by the first import of each pair of (grouped)
/// modules and by the modules importing each one, so the tangle holding one module can be found without
/// walking the project, and one file's imports can be swapped when it changes.
struct CycleGraph: ParameterizedDerived {
    typealias Parameters = ImportCycleDetector.Options

    private let options: ImportCycleDetector.Options
    private let allowed: [ModulePattern]
    private let projectModules: NameSet
    /// Every counted import from one node to another, in path and line order.
    private var pairs: [String: [String: [ModuleGraph.Edge]]] = [:]
    /// The nodes importing each node.
    private var importers: [String: Set<String>] = [:]

    init(index: ProjectIndex, parameters: ImportCycleDetector.Options) {
        options = parameters
        allowed = parameters.allowedPatterns
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
    static func counts(_ edge: ModuleGraph.Edge, projectModules: NameSet, allowed: [ModulePattern], depth: Int) -> Bool {
        projectModules.contains(edge.imported) && group(edge.importer, depth: depth) != group(edge.imported, depth: depth)
            && !allowed.contains { $0.covers(edge.importer) || $0.covers(edge.imported) }
    }

    private mutating func add(_ edge: ModuleGraph.Edge) {
        let (from, to) = (group(edge.importer), group(edge.imported))
        Self.insert(edge, into: &pairs[from, default: [:]][to, default: []])
        importers[to, default: []].insert(from)
    }

    /// Inserts `edge` into its pair's list in location order, in place: the module graph's edges come in that
    /// order, so building the graph appends each. Changing a copy of the list and storing it back cost a
    /// one-file check of the corpora 23 M instructions.
    private static func insert(_ edge: ModuleGraph.Edge, into list: inout [ModuleGraph.Edge]) {
        var low = list.count
        while low > 0, edge.location < list[low - 1].location { low -= 1 }
        list.insert(edge, at: low)
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

    /// `file`'s imports that count towards a cycle (`counts`) under `options`, `allowed` being its patterns.
    static func counted(
        in file: FileFacts, projectModules: NameSet, allowed: [ModulePattern], options: ImportCycleDetector.Options
    ) -> [ModuleGraph.Edge] {
        ModuleGraph.edges(of: file, modules: projectModules, kinds: Set(options.importKinds)).filter {
            counts($0, projectModules: projectModules, allowed: allowed, depth: options.depth)
        }
    }

    private func counted(in file: FileFacts) -> [ModuleGraph.Edge] {
        Self.counted(in: file, projectModules: projectModules, allowed: allowed, options: options)
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
