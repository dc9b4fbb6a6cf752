/// Why importing a module, or a name from it, is deprecated.
public enum ModuleDeprecation: Sendable, Hashable {
    /// The policy's `deprecated:` section names it.
    case declared(DeprecatedModule)
    /// The module warns when imported: a module-level `warnings.warn(..., DeprecationWarning)`, directly or
    /// through one module-level call of a local function.
    case warnsOnImport(module: String, warning: DeprecationFact)
    /// The module's PEP 562 `__getattr__` warns, and the name is not bound otherwise, so reading it warns.
    case warnsOnAccess(module: String, getattr: ModuleGetattrFact)

    /// The deprecated module.
    public var module: String {
        switch self {
        case .declared(let entry): entry.module
        case .warnsOnImport(let module, _), .warnsOnAccess(let module, _): module
        }
    }
}

extension ProjectSettings {
    /// The policy entry that deprecates `name` of `module` by listing it in its `symbols`.
    public func declaredDeprecation(of name: String, in module: String) -> DeprecatedModule? {
        deprecated.first { $0.module == module && $0.symbols.contains(name) }
    }
}

extension ProjectIndex {
    /// The first module-level deprecation warning `module` issues when imported, if it is a project module
    /// that issues one.
    public func importWarning(of module: String) -> DeprecationFact? {
        file(forModule: module)?.deprecations.first { isDeprecationCategory($0.category, in: module) }
    }

    /// Whether the warning class `name`, as written in `module`, is `DeprecationWarning`,
    /// `PendingDeprecationWarning`, or a project class that derives from one of them, through any number of
    /// project classes and aliases (`RemovedInNextVersionWarning = RemovedInDjango60Warning`).
    public func isDeprecationCategory(_ name: String, in module: String) -> Bool {
        var seen: Set<DefinitionSite> = []
        return derivesFromDeprecation(name, in: module, seen: &seen)
    }

    private func derivesFromDeprecation(_ written: String, in module: String, seen: inout Set<DefinitionSite>) -> Bool {
        let last = DottedName.parts(of: written).last.map(String.init) ?? written
        if DeprecationFact.builtinCategories.contains(last) { return true }
        let classes: [DefinitionSite]
        if !written.contains("."), case .definition(let site) = resolve(written, in: module).origin {
            classes = site.kind == .class ? [site] : []
        } else {
            classes = definitions(of: last).filter { $0.kind == .class }
        }
        for site in classes where seen.count < 64 && seen.insert(site).inserted {
            guard let fact = file(forModule: site.module)?.classes.first(where: { $0.isTopLevel && $0.name == site.name }) else { continue }
            if fact.bases.contains(where: { derivesFromDeprecation($0, in: site.module, seen: &seen) }) { return true }
        }
        return false
    }
}

extension DetectionContext {
    /// The first names (`django` of `django.utils.x`) of every module about which `deprecation(of:name:)` can
    /// answer anything: the policy's deprecated modules, and the project modules that warn when imported, call
    /// a deprecation function at module level, or warn from `__getattr__`. A module under none of them (its
    /// packages and submodules with it) is not deprecated: a caller asking about every import looks here first.
    public func deprecationTops() -> NameSet {
        var tops = NameSet(settings.deprecated.map { DottedName.top(of: $0.module) })
        let callsMatter = !settings.deprecationFunctions.isEmpty
        for file in index.moduleFiles
        where !file.deprecations.isEmpty || file.moduleGetattr?.warnsDeprecation == true || (callsMatter && !file.moduleCalls.isEmpty) {
            tops.insert(DottedName.top(of: file.module))
        }
        return tops
    }

    /// Why taking `name` from `module` (or importing `module` itself, when `name` is nil) is deprecated, if
    /// it is, looking only at the module itself, not the packages above it: the policy's entries first, then
    /// a warning on import, then a warning `__getattr__` for a name the module does not bind.
    public func deprecation(of module: String, name: String?) -> ModuleDeprecation? {
        if let entry = settings.deprecated.first(where: { $0.module == module && $0.symbols.isEmpty }) {
            return .declared(entry)
        }
        if let name, let entry = settings.declaredDeprecation(of: name, in: module) { return .declared(entry) }
        if let warning = index.importWarning(of: module) ?? deprecationCall(in: module) {
            return .warnsOnImport(module: module, warning: warning)
        }
        if let name, let getattr = index.file(forModule: module)?.moduleGetattr, getattr.warnsDeprecation,
            case .dynamic = index.resolve(name, in: module).origin,
            !index.symbols.contains(module: DottedName.join(module, name))
        {
            return .warnsOnAccess(module: module, getattr: getattr)
        }
        return nil
    }

    /// The first module-level call in `module` of one of the policy's `deprecation_functions`, as a warning.
    private func deprecationCall(in module: String) -> DeprecationFact? {
        guard !settings.deprecationFunctions.isEmpty, let file = index.file(forModule: module) else { return nil }
        for call in file.moduleCalls {
            guard case .definition(let site) = index.resolve(call.name, in: module).origin,
                settings.deprecationFunctions.contains(DottedName.join(site.module, site.name))
            else { continue }
            return DeprecationFact(category: "a deprecation warning", message: nil, range: call.range, viaFunction: call.name)
        }
        return nil
    }

    /// Whether `module` (or `name` taken from it) is deprecated by the policy or by its own warnings, the
    /// packages above it included: importing a module runs every package `__init__` above it.
    public func isDeprecated(_ module: String, name: String? = nil) -> Bool {
        if deprecation(of: module, name: name) != nil { return true }
        return DottedName.packages(of: module).contains { deprecation(of: String($0), name: nil) != nil }
    }
}
