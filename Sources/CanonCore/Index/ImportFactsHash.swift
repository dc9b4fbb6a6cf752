/// The top-level packages of the project's modules, its compiled modules' among them: an import whose
/// top-level package is none of these is of a module outside the project.
public struct ProjectTops: IndexDerived {
    public let names: Set<String>

    public init(index: ProjectIndex) {
        var names = Set(index.compiledModules.map { DottedName.top(of: $0) })
        for offset in index.files.indices { names.insert(DottedName.top(of: index.files[offset].module)) }
        self.names = names
    }
}

extension ProjectIndex {
    /// What a rule that judges imports by what they reach reads of `file`'s own facts, as a hash
    /// (`Detector.factsHash`), for `fragmented_import` and `deprecated_import`: its imports, the attribute walks
    /// from the modules it imports whole, what it binds and declares at its top level (for the canonical path
    /// of a definition, a package's re-exports and the fixes' import cycles) and its deprecations. Nil when one
    /// of its names resolves through the file itself, whose edit could then change that resolution unseen.
    ///
    /// Left out: an import of a module outside the project (its top-level package none of the project's, nor one
    /// of `keepingTops`) whose bound name no import of the project binds (at any depth) and, at the top level,
    /// nothing else binds but the same import again, and the attribute walks from it. Such an import resolves
    /// to nothing of the project, makes no symbol import of a project name, runs none of the project's code and
    /// hides no binding, so what it adds (an `import os` appended, once or again) changes none of what those
    /// rules judge.
    public func importFactsHash(of file: FileFacts, projectTops: ProjectTops, keepingTops: Set<String> = []) -> UInt64? {
        for item in symbols.imports(in: file.path) where item.resolution.chain.contains(where: { $0.module == file.module }) {
            return nil
        }
        func isOutside(_ fact: ImportFact) -> Bool {
            let top = DottedName.top(of: fact.module)
            return !fact.module.isEmpty && !fact.module.hasPrefix(".") && fact.name != "*" && !projectTops.names.contains(top)
                && !keepingTops.contains(top)
        }
        // The names the other imports bind, at any depth (an import of the project in a function gives attribute
        // walks their module unless one at the top level binds the name first), and how often each name is bound
        // at the top level, by any kind of binding, and by what outside imports: an outside import binding one of
        // those, or one bound otherwise too, is kept.
        var inside: Set<String> = []
        var bound: [String: Int] = [:]
        var outside: [String: (count: Int, imports: Set<String>)] = [:]
        for fact in file.imports {
            guard let name = fact.boundName else { continue }
            if !isOutside(fact) { inside.insert(name) }
            guard fact.kind != .function else { continue }
            bound[name, default: 0] += 1
            if isOutside(fact) {
                outside[name, default: (0, [])].count += 1
                outside[name]!.imports.insert("\(fact.module) \(fact.name ?? "")")
            }
        }
        for name in file.assignments.map(\.name) + file.classes.filter(\.isTopLevel).map(\.name)
            + file.topLevelFunctions.map(\.name)
        {
            bound[name, default: 0] += 1
        }
        var hash = InputHash()
        hash.add(file.path)
        hash.add(file.module)
        // The bound names of the plain imports kept, whose attribute walks are kept with them.
        var walked: Set<String> = []
        for fact in file.imports {
            if isOutside(fact), let name = fact.boundName, !inside.contains(name),
                fact.kind == .function || outside[name].map({ $0.count == bound[name] && $0.imports.count == 1 }) == true
            {
                continue
            }
            if fact.form == .plain, let name = fact.boundName { walked.insert(name) }
            hash.add(fact)
        }
        for use in file.attributeUses where walked.contains(use.base) {
            hash.add(use.base)
            hash.add(use.path.count)
            for part in use.path { hash.add(part) }
            hash.add(use.range)
        }
        hash.addDeclarations(of: file)
        return hash.value
    }
}

extension InputHash {
    /// What a module binds and declares at its top level but its imports: assignments, classes, functions,
    /// `__all__`, deprecations, a module `__getattr__` and module-level calls.
    mutating func addDeclarations(of file: FileFacts) {
        add(file.assignments.count)
        for fact in file.assignments {
            add(fact.name)
            add(fact.value)
            add(fact.range)
            add(fact.statementRange)
            add(fact.isAnnotated ? 1 : 0)
            add(fact.isAugmented ? 1 : 0)
            add(fact.annotation ?? "\u{0}")
            add(fact.valueText ?? "\u{0}")
        }
        for fact in file.classes where fact.isTopLevel {
            add(fact.name)
            add(fact.kind.rawValue)
            add(fact.range)
            add(fact.bases.count)
            for base in fact.bases { add(base) }
            add(fact.keywords.count)
            for keyword in fact.keywords { add(keyword) }
        }
        for fact in file.topLevelFunctions {
            add(fact.name)
            add(fact.range)
        }
        add(file.dunderAll?.count ?? -1)
        for name in file.dunderAll ?? [] { add(name) }
        add(file.deprecations.count)
        for fact in file.deprecations {
            add(fact.category)
            add(fact.message ?? "\u{0}")
            add(fact.range)
            add(fact.viaFunction ?? "\u{0}")
        }
        add(file.deprecatedDeclarations.count)
        for fact in file.deprecatedDeclarations {
            add(fact.symbol)
            add(fact.message ?? "\u{0}")
            add(fact.renamed ?? "\u{0}")
            add(fact.range)
        }
        add(file.moduleGetattr.map { $0.warnsDeprecation ? 2 : 1 } ?? 0)
        if let getattr = file.moduleGetattr { add(getattr.range) }
        add(file.moduleCalls.count)
        for call in file.moduleCalls {
            add(call.name)
            add(call.range)
        }
    }
}
