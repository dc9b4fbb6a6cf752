/// The `NameHash`es of the top-level packages of the project's modules, its compiled modules' among them: an
/// import whose top-level package is none of these is of a module outside the project. Two texts of one hash
/// are both taken as the project's: an import kept in a facts hash for that costs nothing but a rule run again.
public struct ProjectTops: IndexDerived {
    public let hashes: Set<UInt64>

    public init(index: ProjectIndex) {
        var hashes = Set(index.compiledModules.map(ProjectIndex.topHash))
        for offset in index.files.indices { hashes.insert(ProjectIndex.topHash(of: index.files[offset].module)) }
        self.hashes = hashes
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
    /// nothing else binds, and the attribute walks from it. Such an import resolves to nothing of the project, makes no symbol import of a project name,
    /// runs none of the project's code and hides no binding, so what it adds (an `import os` appended) changes
    /// none of what those rules judge.
    public func importFactsHash(of file: FileFacts, projectTops: ProjectTops, keepingTops: Set<String> = []) -> UInt64? {
        for item in symbols.imports(in: file.path) where item.resolution.chain.contains(where: { $0.module == file.module }) {
            return nil
        }
        let tops = projectTops.hashes.union(keepingTops.map { NameHash.of($0) })
        var hash = InputHash()
        hash.add(file.path)
        hash.add(file.module)
        file.imports.withUnsafeBufferPointer { imports in
            func isOutside(_ k: Int) -> Bool {
                let module = imports[k].module
                return !module.isEmpty && !module.hasPrefix(".") && imports[k].name != "*" && !tops.contains(Self.topHash(of: module))
            }
            // The names the other imports bind, at any depth (an import of the project in a function gives attribute
            // walks their module unless one at the top level binds the name first), and the names bound at the top
            // level by any kind of binding: an outside import binding one of those, or one bound twice, is kept.
            var inside: Set<UInt64> = []
            var bound: [UInt64] = []
            for k in imports.indices {
                guard let name = Self.boundHash(of: imports.baseAddress! + k) else { continue }
                if !isOutside(k) { inside.insert(name) }
                if imports[k].kind != .function { bound.append(name) }
            }
            for fact in file.assignments { bound.append(NameHash.of(fact.name)) }
            for fact in file.classes where fact.isTopLevel { bound.append(NameHash.of(fact.name)) }
            for fact in file.functions where fact.isTopLevel { bound.append(NameHash.of(fact.name)) }
            bound.sort()
            func boundTwice(_ name: UInt64) -> Bool {
                let first = bound.partitioningIndex { $0 >= name }
                return first + 1 < bound.count && bound[first + 1] == name
            }
            // The bound names of the plain imports kept, whose attribute walks are kept with them.
            var walked: Set<UInt64> = []
            for k in imports.indices {
                let module = imports[k].module
                if isOutside(k), let name = Self.boundHash(of: imports.baseAddress! + k), !inside.contains(name),
                    imports[k].kind == .function || !boundTwice(name)
                {
                    continue
                }
                if imports[k].form == .plain, let name = Self.boundHash(of: imports.baseAddress! + k) { walked.insert(name) }
                hash.add(imports[k].form == .from ? 1 : 0)
                hash.add(module)
                hash.add(imports[k].writtenModule)
                hash.add(imports[k].level)
                hash.add(imports[k].name ?? "\u{0}")
                hash.add(imports[k].alias ?? "\u{0}")
                hash.add(imports[k].kind.rawValue)
                hash.add(imports[k].range)
                hash.add(imports[k].statementRange)
                hash.add(imports[k].attributes.count)
                for attribute in imports[k].attributes { hash.add(attribute) }
            }
            for use in file.attributeUses where walked.contains(NameHash.of(use.base)) {
                hash.add(use.base)
                hash.add(use.path.count)
                for part in use.path { hash.add(part) }
                hash.add(use.range)
            }
        }
        hash.addDeclarations(of: file)
        return hash.value
    }

    /// The `NameHash` of `module`'s top-level package, without making it.
    static func topHash(of module: String) -> UInt64 {
        module.withBorrowedUTF8 { bytes in
            let end = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
            return NameHash.of(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[..<end]))
        }
    }

    /// The `NameHash` of the name `fact` binds at its module's top level, if it binds one; read in place, not
    /// copied with its strings.
    static func boundHash(of fact: UnsafePointer<ImportFact>) -> UInt64? {
        if let alias = fact.pointee.alias { return NameHash.of(alias) }
        switch fact.pointee.form {
        case .plain: return topHash(of: fact.pointee.module)
        case .from: return fact.pointee.name == "*" ? nil : fact.pointee.name.map(NameHash.of)
        }
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
        for fact in file.functions where fact.isTopLevel {
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
