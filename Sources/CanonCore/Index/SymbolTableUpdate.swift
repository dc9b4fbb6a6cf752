/// What the positions of each file reach in a symbol table: the memoized resolutions whose chain or origin
/// lies in the file, and the other files that have a symbol import resolved through it.
struct Dependents: Sendable {
    var keys: [String: Set<SymbolKey>] = [:]
    var importers: [String: Set<String>] = [:]

    init(_ table: SymbolTable) {
        for (key, value) in table.resolved { note(key, value) }
        for (importer, sites) in table.importsByPath {
            for touched in Self.paths(of: sites) where touched != importer { importers[touched, default: []].insert(importer) }
        }
    }

    mutating func note(_ key: SymbolKey, _ value: ResolvedSymbol) {
        for path in Self.paths(of: value) { keys[path, default: []].insert(key) }
    }

    /// The files whose positions a resolution carries: its chain's and its definition's.
    static func paths(of value: ResolvedSymbol) -> Set<String> {
        var paths = Set(value.chain.map(\.location.path))
        if let site = value.origin.definition { paths.insert(site.path) }
        return paths
    }

    static func paths(of sites: [SymbolImport]) -> Set<String> {
        var paths: Set<String> = []
        for site in sites { paths.formUnion(Self.paths(of: site.resolution)) }
        return paths
    }
}

extension ModuleSymbols {
    /// The module's bindings as resolution reads them, without positions: two versions of a file with the
    /// same shape resolve every name of every module alike, but for the positions they carry.
    var shape: [String] {
        func describe(_ binding: LocalBinding) -> String {
            switch binding {
            case .definition(let site): "d \(site.kind.rawValue)"
            case .module(let target, let fact): "m \(target) \(fact.alias ?? "")"
            case .name(let source, let name, let fact): "n \(source) \(name) \(fact.alias ?? "")"
            case .alias(let dotted, _): "a \(dotted)"
            }
        }
        var shape = ["package \(isPackage)", "getattr \(hasGetattr)", "all \(dunderAll.map { $0.joined(separator: ",") } ?? "-")"]
        shape.append("stars " + starSources.map(\.module).joined(separator: ","))
        shape.append("dynamic " + dynamicNames.sorted().joined(separator: ","))
        for (name, binding) in bindings.sorted(by: { $0.key < $1.key }) {
            shape.append("\(name) = \(describe(binding)) | " + (alternatives[name] ?? []).map(describe).joined(separator: " | "))
        }
        return shape
    }
}

extension SymbolTable {
    /// The table with `file` in place of the file of the same path, computed from this one when the file's
    /// module-level bindings keep their shape (an edit inside function bodies, a comment, lines moved): then
    /// every name resolves as before and only resolutions carrying the file's positions, and the file's own
    /// imports, are worked out again. Nil when the shape changed or the file does not stand for its module:
    /// then build the table again.
    ///
    /// Updated in place, so that a table nothing else holds is not copied (its memoized resolutions are
    /// most of the project's symbol data); false, changing nothing, when the table must be built again.
    mutating func replace(_ file: FileFacts) -> Bool {
        guard let old = space.modules[file.module], old.path == file.path else { return false }
        let symbols = ModuleSymbols(file)
        guard symbols.shape == old.shape else { return false }
        var dependents = dependents ?? Dependents(self)
        self.dependents = nil
        space.modules[file.module] = symbols
        let stale = (dependents.keys[file.path] ?? []).sorted { ($0.module, $0.name) < ($1.module, $1.name) }
        for key in stale { resolved[key] = nil }
        var resolver = Resolver(space: space, base: resolved)
        for key in stale { _ = resolver.resolve(key.name, in: key.module) }
        let oldImports = importsByPath[file.path] ?? []
        let newImports = resolver.symbolImports(of: file)
        importsByPath[file.path] = newImports
        for importer in dependents.importers[file.path] ?? [] where importer != file.path {
            importsByPath[importer] = importsByPath[importer]?.map { site in
                var site = site
                site.resolution = resolver.resolve(site.name, in: site.source)
                return site
            }
        }
        for path in Dependents.paths(of: oldImports) where path != file.path { dependents.importers[path]?.remove(file.path) }
        for path in Dependents.paths(of: newImports) where path != file.path {
            dependents.importers[path, default: []].insert(file.path)
        }
        if symbols.isPackage {
            var steps: [SymbolKey: [SymbolStep]] = [:]
            for (key, step) in resolver.reExports(by: file.module) { steps[key, default: []].append(step) }
            for (key, fresh) in steps {
                guard var list = reExports[key], let first = list.firstIndex(where: { $0.module == file.module }) else { continue }
                list.removeAll { $0.module == file.module }
                list.insert(contentsOf: fresh, at: first)
                reExports[key] = list
            }
        }
        let fresh = resolver.symbols.values
        // The resolver reads the memoized resolutions; let go of them before they are updated.
        _ = consume resolver
        for (key, value) in fresh {
            resolved[key] = value
            dependents.note(key, value)
        }
        self.dependents = dependents
        return true
    }

    /// Works out which resolutions each file's positions reach, which `replace(_:)` needs, if not yet done.
    mutating func prepareDependents() {
        if dependents == nil { dependents = Dependents(self) }
    }

    /// The symbol imports of the file at `path`, in position order.
    public func imports(in path: String) -> [SymbolImport] { importsByPath[path] ?? [] }
}
