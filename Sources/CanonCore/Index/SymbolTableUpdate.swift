/// What each file and module reaches in a symbol table, so that a change of one file is followed without
/// looking at every resolution: the memoized resolutions whose chain or origin lies in the file, and the
/// other files that have a symbol import resolved through it; the resolutions that looked each name up in
/// each module (see `lookups`); which files have a symbol import of each key, or one resolved to each
/// definition; and which files' attribute walks (`import a` then `a.b.C`) read each module's names. Entries
/// are added, never taken away: one that no longer holds costs a needless resolution, never a wrong one.
struct Dependents: Sendable {
    var keys: [String: Set<SymbolKey>] = [:]
    var importers: [String: Set<String>] = [:]
    /// The memoized resolutions that looked a name up in a module: its key, a step of its chain, or its origin
    /// (a definition, a missing or dynamic name, a submodule as its package's name) is that name there; and
    /// under the empty name, those whose origin is the module itself.
    var byLookup: [SymbolKey: Set<SymbolKey>] = [:]
    /// The names of `byLookup` in each module.
    var byModule: [String: Set<String>] = [:]
    /// The modules of `byModule` inside each package (and each module itself).
    var under: [String: Set<String>] = [:]
    var sites: [SymbolKey: Set<String>] = [:]
    var byDefinition: [SymbolKey: Set<String>] = [:]
    var walkers: [String: Set<String>] = [:]

    init(_ table: SymbolTable, files: [FileFacts]) {
        precondition(table.deferred == nil, "a table that follows changes has its symbol imports worked out")
        table.resolved.forEach { key, value in note(key, value) }
        for (importer, sites) in table.importsByPath {
            for touched in Self.paths(of: sites) where touched != importer { importers[touched, default: []].insert(importer) }
            noteSites(of: importer, sites)
        }
        var resolver = Resolver(space: table.space, base: table.resolved)
        for path in table.importPaths {
            guard let file = ProjectIndex.file(atPath: path, in: files), !file.attributeUses.isEmpty else { continue }
            var visits: [String]? = []
            _ = resolver.symbolImports(of: file, visits: &visits)
            noteWalks(of: path, visits ?? [])
        }
    }

    mutating func note(_ key: SymbolKey, _ value: ResolvedSymbol) {
        for path in Self.paths(of: value) { keys[path, default: []].insert(key) }
        mention(key.module, key.name, key)
        for step in value.chain { mention(step.module, step.name, key) }
        switch value.origin {
        case .definition(let site): mention(site.module, site.name, key)
        case .missing(let module, let name): mention(module, name ?? "", key)
        case .dynamic(let module, let name), .cycle(let module, let name): mention(module, name, key)
        case .module(let module):
            mention(module, "", key)
            var packages = DottedName.packages(of: module)
            if let package = packages.next() {
                mention(String(package), String(module[module.utf8.index(after: package.endIndex)...]), key)
            }
        case .external: break
        }
    }

    private mutating func mention(_ module: String, _ name: String, _ key: SymbolKey) {
        byLookup[SymbolKey(module, name), default: []].insert(key)
        if byModule[module]?.insert(name) != nil { return }
        byModule[module] = [name]
        for prefix in Self.prefixes(of: module) { under[prefix, default: []].insert(module) }
    }

    /// The memoized keys that looked one of `names` up in its module (see `byLookup`).
    func lookups(of names: [String: Set<String>]) -> Set<SymbolKey> {
        var found: Set<SymbolKey> = []
        for (module, set) in names {
            for name in set { found.formUnion(byLookup[SymbolKey(module, name)] ?? []) }
        }
        return found
    }

    /// `module` and the packages above it.
    static func prefixes(of module: String) -> [String] {
        [module] + DottedName.packages(of: module).map(String.init)
    }

    mutating func noteSites(of path: String, _ imports: [SymbolImport]) {
        for site in imports {
            sites[SymbolKey(site.source, site.name), default: []].insert(path)
            if let definition = site.resolution.origin.definition {
                byDefinition[SymbolKey(definition.module, definition.name), default: []].insert(path)
            }
        }
    }

    /// The memoized keys whose resolution may have read the names of `modules`, as far as their values tell:
    /// those that mention (as the key's module, a step of the chain or the origin's module) one of them or a
    /// module inside one of them. Inside, because the names of a package are read, leaving no step, when an
    /// attribute or an import reaches its submodule through it (`pkg.sub` is the submodule unless `pkg` binds
    /// `sub`); and a missing module is called missing only after the package above it was read.
    func keys(reading modules: Set<String>) -> Set<SymbolKey> {
        var found: Set<SymbolKey> = []
        for module in modules {
            for inner in under[module] ?? [] {
                for name in byModule[inner] ?? [] { found.formUnion(byLookup[SymbolKey(inner, name)] ?? []) }
            }
        }
        return found
    }

    mutating func noteWalks(of path: String, _ modules: [String]) {
        for module in Set(modules) { walkers[module, default: []].insert(path) }
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
            shape.append("\(name.text) = \(describe(binding)) | " + (alternatives[name] ?? []).map(describe).joined(separator: " | "))
        }
        return shape
    }
}

extension SymbolTable {
    /// The table with `file` in place of the file of the same path, computed from this one rather than from
    /// every file: `files` are the project's files, sorted by path, with `file` among them.
    ///
    /// When the file's module-level bindings keep their shape (an edit inside function bodies, a comment,
    /// lines moved), every name resolves as before and only resolutions carrying the file's positions, and the
    /// file's own imports, are worked out again. When the shape changed (a definition or an import added,
    /// `__all__` edited), the star exports of the module and of what star-imports it are computed again, then
    /// every resolution that read the names that changed, and transitively whatever looked those resolutions
    /// up; then the imports and re-exports that rest on them.
    ///
    /// Updated in place, so that a table nothing else holds is not copied (its memoized resolutions are
    /// most of the project's symbol data); false, changing nothing, when the file does not stand for its
    /// module: then build the table again.
    mutating func replace(_ file: FileFacts, files: [FileFacts]) -> Bool {
        guard let old = space.modules[file.module], old.path == file.path else { return false }
        resolveDeferredImports()
        let symbols = ModuleSymbols(file)
        var dependents = dependents ?? Dependents(self, files: files)
        self.dependents = nil
        binders = Locked([:])
        defer { self.dependents = dependents }
        if symbols.shape == old.shape {
            space.modules[file.module] = symbols
            keepShape(of: file, dependents: &dependents)
        } else {
            reshape(file, symbols, files: files, dependents: &dependents)
        }
        return true
    }

    private mutating func keepShape(of file: FileFacts, dependents: inout Dependents) {
        let stale = (dependents.keys[file.path] ?? []).sorted { ($0.module, $0.name) < ($1.module, $1.name) }
        for key in stale { resolved[key] = nil }
        var resolver = Resolver(space: space, base: resolved)
        for key in stale { _ = resolver.resolve(key.name, in: key.module) }
        refreshImports(of: file, with: &resolver, dependents: &dependents)
        for importer in dependents.importers[file.path] ?? [] where importer != file.path {
            importsByPath[importer] = importsByPath[importer]?.map { site in
                var site = site
                site.resolution = resolver.resolve(site.name, in: site.source)
                return site
            }
            dependents.noteSites(of: importer, importsByPath[importer] ?? [])
        }
        if space.modules[file.module]?.isPackage == true { refreshReExports(of: [file.module], with: &resolver) }
        let fresh = resolver.symbols.values
        cycles.formUnion(resolver.cycles)
        // The resolver reads the memoized resolutions; let go of them before they are updated.
        _ = consume resolver
        for (key, value) in fresh {
            resolved[key] = value
            dependents.note(key, value)
        }
    }

    private mutating func reshape(
        _ file: FileFacts, _ symbols: ModuleSymbols, files: [FileFacts], dependents: inout Dependents
    ) {
        let module = file.module
        // The module, and every module that star-imports it (transitively): their star exports may change.
        // Its own star imports can only add itself to that set, so the map is of its new shape.
        space.modules[module] = symbols
        var starImporters: [String: [String]] = [:]
        for (name, other) in space.modules {
            for (source, _) in other.starSources { starImporters[source, default: []].append(name) }
        }
        var touched: Set<String> = [module]
        var pending = [module]
        while let next = pending.popLast() {
            for importer in starImporters[next] ?? [] where touched.insert(importer).inserted { pending.append(importer) }
        }
        let previousExports = space.exports
        let imported = Set(starImporters.keys.filter { space.modules[$0] != nil })
        space.exports = ModuleSpace.starExports(of: space.modules, only: touched, previous: previousExports, imported: imported)

        // The module's own names are read in full. A module that star-imports it reads new names only where
        // it looks a name up in a star source whose exports gained or lost that name; unless a source's list
        // became complete or incomplete, which changes what every name not found there resolves to.
        var whole: Set<String> = [module]
        var narrowed: [String: Set<String>] = [:]
        for importer in touched where importer != module {
            var names: Set<String> = []
            for (source, _) in space.modules[importer]?.starSources ?? [] {
                let (old, new) = (previousExports[source], space.exports[source])
                if old?.complete != new?.complete {
                    whole.insert(importer)
                    break
                }
                names.formUnion((old?.names ?? []).symmetricDifference(new?.names ?? []))
            }
            if !whole.contains(importer), !names.isEmpty { narrowed[importer] = names }
        }

        // Resolutions that read those names go; so do those whose value tells too little of what they read
        // (names bound differently on different branches); then, transitively, whatever looked up a name
        // that goes (or, through a star import, might have). All of them are worked out again together: one
        // worked out while another it reads is still memoized from before would take that value's word and
        // could keep it alive.
        var before: [SymbolKey: ResolvedSymbol] = [:]
        var inside = whole
        func lookups(of names: [String: Set<String>]) -> Set<SymbolKey> {
            var submodules: Set<String> = []
            var keys = dependents.lookups(of: names).filter { resolved[$0] != nil }
            for (module, set) in names {
                for name in set { submodules.insert(DottedName.join(module, name)) }
            }
            // A name looked up may have been a submodule (`pkg.sub`), walked on from there.
            submodules.subtract(inside)
            inside.formUnion(submodules)
            keys.formUnion(dependents.keys(reading: submodules).filter { resolved[$0] != nil })
            return keys
        }
        var stale = dependents.keys(reading: whole).filter { resolved[$0] != nil }.union(lookups(of: narrowed))
        for (name, other) in space.modules where !other.alternatives.isEmpty {
            for alternative in other.alternatives.keys where resolved[SymbolKey(name, alternative.text)] != nil {
                stale.insert(SymbolKey(name, alternative.text))
            }
        }
        var frontier = stale
        while !frontier.isEmpty {
            var names: [String: Set<String>] = [:]
            for key in frontier {
                names[key.module, default: []].insert(key.name)
                // Star imports of the key's module look the name up too, and may have passed over it as a cycle.
                for importer in starImporters[key.module] ?? [] { names[importer, default: []].insert(key.name) }
            }
            frontier = lookups(of: names).subtracting(stale)
            stale.formUnion(frontier)
        }
        // Keys whose resolution met a cycle are not memoized; the change may settle them.
        let unsettled = cycles
        cycles = []
        for key in stale { before[key] = resolved.removeValue(forKey: key) }
        var resolving = Resolver(space: space, base: resolved)
        for key in stale.union(unsettled).sorted(by: { ($0.module, $0.name) < ($1.module, $1.name) }) {
            _ = resolving.resolve(key.name, in: key.module)
        }
        for name in symbols.bindings.keys.sorted() { _ = resolving.resolve(name.text, in: module) }
        var redone = resolving.symbols.values
        cycles = resolving.cycles
        _ = consume resolving
        for (key, value) in redone { resolved[key] = value }

        // What came out different: a new value, or none now (its resolution meets a cycle now); and what
        // meets a cycle, which is worked out on each request, so a change of it is not seen.
        var changed = Set(before.keys.filter { redone[$0] == nil })
        for (key, value) in redone where before[key] != value { changed.insert(key) }
        changed.formUnion(unsettled)
        changed.formUnion(cycles)

        // Symbol imports: the file's own, and every file with a site, or a step of an attribute walk, whose
        // resolution changed.
        var refresh: Set<String> = []
        for key in changed { refresh.formUnion(dependents.sites[key] ?? []) }
        for module in Set(changed.map(\.module)) { refresh.formUnion(dependents.walkers[module] ?? []) }
        var resolver = Resolver(space: space, base: resolved)
        refreshImports(of: file, with: &resolver, dependents: &dependents)
        for path in refresh.sorted() where path != file.path {
            guard let other = ProjectIndex.file(atPath: path, in: files) else { continue }
            refreshImports(of: other, with: &resolver, dependents: &dependents)
        }

        // Re-exports of every package whose names, or whose star imports' names, changed.
        var packages = touched
        for key in changed { packages.insert(key.module) }
        refreshReExports(of: packages.filter { space.modules[$0]?.isPackage == true }, with: &resolver)
        let fresh = resolver.symbols.values
        cycles.formUnion(resolver.cycles)
        _ = consume resolver
        for (key, value) in fresh {
            resolved[key] = value
            redone[key] = value
        }
        for (key, value) in redone { dependents.note(key, value) }
    }

    /// Works out the symbol imports of `file` again, and notes what they reach.
    private mutating func refreshImports(of file: FileFacts, with resolver: inout Resolver, dependents: inout Dependents) {
        let oldImports = importsByPath[file.path] ?? []
        var visits: [String]? = file.attributeUses.isEmpty ? nil : []
        let newImports = resolver.symbolImports(of: file, visits: &visits)
        importsByPath[file.path] = newImports
        dependents.noteWalks(of: file.path, visits ?? [])
        dependents.noteSites(of: file.path, newImports)
        for path in Dependents.paths(of: oldImports) where path != file.path { dependents.importers[path]?.remove(file.path) }
        for path in Dependents.paths(of: newImports) where path != file.path {
            dependents.importers[path, default: []].insert(file.path)
        }
    }

    /// Works out again what `packages` re-export, keeping each definition's list in module order.
    private mutating func refreshReExports(of packages: Set<String>, with resolver: inout Resolver) {
        guard !packages.isEmpty else { return }
        for (key, list) in reExports where list.contains(where: { packages.contains($0.module) }) {
            let kept = list.filter { !packages.contains($0.module) }
            reExports[key] = kept.isEmpty ? nil : kept
        }
        for package in packages.sorted() {
            var steps: [SymbolKey: [SymbolStep]] = [:]
            for (key, step) in resolver.reExports(by: package) { steps[key, default: []].append(step) }
            for (key, fresh) in steps {
                var list = reExports[key] ?? []
                let at = list.firstIndex { $0.module > package } ?? list.count
                list.insert(contentsOf: fresh, at: at)
                reExports[key] = list
            }
        }
    }

    /// Works out which resolutions each file's positions reach, which `replace(_:files:)` needs, if not yet done.
    mutating func prepareDependents(files: [FileFacts]) {
        resolveDeferredImports()
        if dependents == nil { dependents = Dependents(self, files: files) }
    }

    /// The files with a symbol import resolved to one of `definitions`, in path order; nil when the table
    /// keeps no such index (it does once it is prepared to follow changes, as a server's is), so that a check
    /// of one file need not go through every import of the project.
    public func importingFiles(of definitions: Set<DefinitionSite>) -> [String]? {
        guard let dependents else { return nil }
        var paths: Set<String> = []
        for site in definitions { paths.formUnion(dependents.byDefinition[SymbolKey(site.module, site.name)] ?? []) }
        return paths.sorted()
    }

    /// The symbol imports of the file at `path`, in position order.
    public func imports(in path: String) -> [SymbolImport] {
        if let deferred { return deferred.imports(in: path) }
        return importsByPath[path] ?? []
    }

    /// The symbol imports that are attribute uses (`m.Name` after `import m`) in the files at `paths` (every
    /// importing file when nil), in path and position order. Most symbol imports are `from` imports, and only
    /// the attribute uses are copied out.
    public func attributeUses(in paths: [String]? = nil) -> [SymbolImport] {
        var uses: [SymbolImport] = []
        let all = paths == nil ? allImports : nil
        for path in paths ?? importPaths {
            let sites = all?[path] ?? imports(in: path)
            for k in sites.indices where sites[k].isAttributeUse { uses.append(sites[k]) }
        }
        return uses
    }
}
