/// Decides the fixes of import findings, the same way for every rule that reports imports. It remembers, per
/// module, which modules that module's own code imports, so build one per detection run.
public struct ImportFixPlanner {
    public let context: DetectionContext
    private var graph: RunGraph?
    private var reached: [Int: [Bool]] = [:]

    public init(context: DetectionContext) {
        self.context = context
    }

    private var index: ProjectIndex { context.index }

    /// The fix for an import that takes `name` from `source`, written at `clause` of `statement` in the file
    /// at `path` (module `importer`), when it should take it from `target`: a move when `target` binds the
    /// same object (under its own name or another) and, for imports that run on import, `target`'s own code
    /// does not import `importer` (which would read the name from a half-initialised module), else the reason
    /// there is none.
    ///
    /// - Parameters:
    ///   - kind: Where the import sits; only imports that run on import can close a cycle.
    ///   - isAttributeUse: The site reads `m.name` after `import source as m` rather than importing the name.
    public mutating func fix(
        path: String, importer: String, clause: SourceRange, statement: SourceRange, source: String, name: String, target: String?,
        kind: ImportKind = .runtime, isAttributeUse: Bool = false
    ) -> Fixability {
        if isAttributeUse {
            return .unfixable(
                reason: "the name is read as an attribute of a module imported whole; Canon rewrites only 'from' imports, not the uses of a module")
        }
        if name == "*" {
            return .unfixable(reason: "a star import binds every name the module exports; write the names it needs first")
        }
        guard let target, target != source else {
            return .unfixable(reason: "no other module is known to bind '\(name)'")
        }
        if target.hasPrefix(".") || source.hasPrefix(".") {
            return .unfixable(reason: "the relative import climbs above the top-level package")
        }
        let origin = index.resolve(name, in: source).origin
        let targetName: String?
        switch origin {
        case .definition(let site): targetName = index.symbols.boundName(for: site, in: target)
        case .external, .module: targetName = index.resolve(name, in: target).origin == origin ? name : nil
        case .missing, .dynamic, .cycle:
            return .unfixable(reason: "Canon cannot tell statically what '\(name)' of \(source) is")
        }
        guard let targetName else {
            return .unfixable(reason: "\(target) does not bind '\(name)' to the same object as \(source)")
        }
        if kind == .runtime || kind == .fallback, runs(importer, from: target) {
            return .unfixable(
                reason: "\(target) imports this module while it initialises, so '\(name)' could be read from it half-built (an import cycle)")
        }
        return .move(
            ImportMove(
                path: path, clause: clause, statement: statement, source: source, name: name, target: target,
                targetName: targetName))
    }

    /// Whether running `start`'s own code imports `module`, through module-level imports (and the package
    /// `__init__`s above each module it imports): while `start` is only partly initialised, any of them may
    /// run. The packages above `start` do not count: by the time they import a module, it is already running
    /// and is not run again.
    mutating func runs(_ module: String, from start: String) -> Bool {
        if module == start { return true }
        if graph == nil { graph = RunGraph(index: index) }
        guard let target = graph!.ids[module], let origin = graph!.ids[start] else { return false }
        if reached[origin] == nil { reached[origin] = graph!.reach(from: origin) }
        return reached[origin]![target]
    }

    /// The fix for a plain import (`import a.shim [as m]`): none, since the module it binds is used by
    /// attribute and those uses would have to change with it.
    public static var plainImport: Fixability {
        .unfixable(reason: "a plain import binds the module itself; rewriting it would mean rewriting every use of it")
    }
}

/// The project's modules by number, each with the modules its module-level imports run: the module imported,
/// the packages above it, and for `from m import n` the submodule `m.n` when there is one. Only modules with
/// a file: the others run no code of their own. A module's imports are read the first time a search reaches
/// it: the questions asked start from a few modules, and reading every module's imports cost more than all of
/// them (113 M instructions of a re-scan of the corpora).
private struct RunGraph {
    let index: ProjectIndex
    private(set) var ids = NameTable<Int>()
    private var names: [String] = []
    private var edges: [[Int]?] = []
    /// The project's modules by package and last name.
    private var submodules = NameTable<[String: Int]>()
    /// Per imported module, the modules it reaches (itself when it has a file, and the packages above it) and
    /// its submodules.
    private var reached = NameTable<(found: [Int], submodules: [String: Int]?)>()

    init(index: ProjectIndex) {
        self.index = index
        let files = index.files
        ids.reserveCapacity(files.count)
        for offset in files.indices where ids.insertIfAbsent(files[offset].module, names.count) {
            names.append(files[offset].module)
        }
        edges = Array(repeating: nil, count: names.count)
        for (module, id) in ids {
            if let dot = module.lastIndex(ofASCII: UInt8(ascii: ".")) {
                submodules[String(module[..<dot]), default: [:]][String(module[module.utf8.index(after: dot)...])] = id
            }
        }
    }

    /// Which modules running `origin` reaches, by number.
    mutating func reach(from origin: Int) -> [Bool] {
        var seen = [Bool](repeating: false, count: edges.count)
        seen[origin] = true
        var queue = [origin]
        while let next = queue.popLast() {
            for target in edges(of: next) where !seen[target] {
                seen[target] = true
                queue.append(target)
            }
        }
        return seen
    }

    /// The modules that running module `id`'s own imports runs, read from its file the first time.
    private mutating func edges(of id: Int) -> [Int] {
        if let known = edges[id] { return known }
        var out: [Int] = []
        defer { edges[id] = out }
        guard let file = index.file(forModule: names[id]) else { return out }
        // A `from` import of several names is several facts of one module in a row, so the last module's are
        // kept at hand.
        var last: (module: String, found: [Int], submodules: [String: Int]?)?
        for k in file.imports.indices where file.imports[k].kind == .runtime || file.imports[k].kind == .fallback {
            let module = file.imports[k].module
            if last?.module != module {
                let known = reached[module] ?? {
                    var found: [Int] = []
                    if let id = ids[module] { found.append(id) }
                    for package in DottedName.packages(of: module) {
                        if let id = ids[String(package)] { found.append(id) }
                    }
                    let value = (found: found, submodules: submodules[module])
                    reached[module] = value
                    return value
                }()
                last = (module, known.found, known.submodules)
            }
            out += last!.found
            if file.imports[k].form == .from, let name = file.imports[k].name, let id = last!.submodules?[name] { out.append(id) }
        }
        return out
    }
}
