extension ProjectIndex {
    /// The paths of `edited` and of every file whose names may resolve differently since those files were
    /// edited: what a rule that `judgesThroughImports` must judge again. Nil when an edited file is not a
    /// Python module of the index (a Swift file's module is its SwiftPM target, whose files see each other's
    /// declarations without importing them): every file is then judged again.
    ///
    /// The index must be the one after the edit, with the same files as before it. A file is reached when an
    /// edited module is one it imports or a package above one (`import a.b.c` reads `a` and `a.b` on its
    /// way), or lies under a name it imports from a package (`from a import b`: `b` may be the module `a.b`,
    /// whose submodules the file can walk to) or under a package it star-imports; when one of its attribute
    /// walks (`import a` then `a.b.c.X`) reads an edited module; or when a name it imports resolves through
    /// one (a step of the resolution's chain, or its origin). Resolution after the edit passes through the
    /// same modules as before it up to the first edited one, so a file whose resolutions name no edited module
    /// resolves as it did.
    ///
    /// Two things read a module's names without leaving a step: a star import, and a name the module binds
    /// more than once (the symbol table follows one binding by rank, other readers the first in the file).
    /// A module that star-imports an edited module, or binds more than once a name it imports from one, is
    /// taken as edited too, and so on until no more are.
    public func filesReaching(_ edited: Set<String>) -> Set<String>? {
        var modules = ImportReach.Modules()
        for path in edited {
            guard let file = file(atPath: path), file.language == .python else { return nil }
            modules.insert(file.module)
        }
        let table = symbols
        // Files read in place, by offset: each copied out retained its every list.
        return files.withUnsafeBufferPointer { files in
            var reached = files.indices.map { edited.contains(files[$0].path) }
            // First the files whose imports name an edited module, which may make more modules edited (see
            // `ImportReach.readsWithoutStep`), and then the files whose resolutions read one.
            // A file reached in one pass is asked again in the next, which may name a module made edited since.
            var grew = true
            while grew {
                grew = false
                for offset in files.indices where !modules.contains(files[offset].module) {
                    guard ImportReach.imports(files[offset].imports, anyOf: modules) else { continue }
                    reached[offset] = true
                    if ImportReach.readsWithoutStep(files.baseAddress! + offset, anyOf: modules) {
                        modules.insert(files[offset].module)
                        grew = true
                    }
                }
            }
            for offset in files.indices where !reached[offset] {
                reached[offset] = ImportReach.resolves(files.baseAddress! + offset, through: modules, table: table)
            }
            return edited.union(files.indices.lazy.filter { reached[$0] }.map { files[$0].path })
        }
    }
}

/// The tests `ProjectIndex.filesReaching(_:)` asks of each file, against a short list of edited modules.
enum ImportReach {
    /// Edited modules, asked about once for every import and resolution of the project: each question is first
    /// put to their top-level packages, which turn away with one comparison the names of every other package
    /// (most imports are of the standard library or of other projects).
    struct Modules {
        private(set) var names: [String] = []
        /// The top-level packages' UTF-8, each followed by a dot.
        private var tops: [[UInt8]] = []

        mutating func insert(_ module: String) {
            guard !names.contains(module) else { return }
            names.append(module)
            let top = Array(DottedName.top(of: module).utf8) + [UInt8(ascii: ".")]
            if !tops.contains(top) { tops.append(top) }
        }

        func contains(_ module: String) -> Bool { names.contains(module) }

        /// Whether reading `module`'s names reads one of these: it is one of them, or one is a package above it.
        func areRead(through module: String) -> Bool {
            sharesTop(module) && names.contains { ProjectIndex.isModule(module, within: $0) }
        }

        /// Whether one of these is `module`, or above or below it.
        func overlap(_ module: String) -> Bool {
            sharesTop(module) && names.contains { ProjectIndex.isModule(module, within: $0) || ProjectIndex.isModule($0, within: module) }
        }

        /// Whether one of these is `package.name` or below it.
        func lieUnder(_ package: String, _ name: String) -> Bool {
            sharesTop(package) && names.contains { ImportReach.isModule($0, within: package, name) }
        }

        /// Whether `module` is in one of the top-level packages: its UTF-8 compared in place, as a generic walk of
        /// the two strings cost a few hundred instructions, on each of a project's imports.
        private func sharesTop(_ module: String) -> Bool {
            let tops = tops
            let found = module.utf8.withContiguousStorageIfAvailable { bytes in
                tops.contains { top in
                    // The top's dot stands for the end of a module that is the top package itself.
                    guard bytes.count >= top.count - 1 else { return false }
                    for k in 0..<(top.count - 1) where bytes[k] != top[k] { return false }
                    return bytes.count == top.count - 1 || bytes[top.count - 1] == top[top.count - 1]
                }
            }
            if let found { return found }
            return tops.contains { top in
                let name = String(decoding: top.dropLast(), as: UTF8.self)
                return module == name || module.hasPrefix(name + ".")
            }
        }
    }

    /// Whether one of `file`'s imports reads one of `modules` (see `names(_:anyOf:)`).
    static func imports(_ imports: [ImportFact], anyOf modules: Modules) -> Bool {
        imports.withUnsafeBufferPointer { imports in
            imports.indices.contains { names(imports.baseAddress! + $0, anyOf: modules) }
        }
    }

    /// Whether `file`, whose imports name one of `modules`, reads it without leaving a step in a resolution's
    /// chain: it star-imports it, or binds more than once a name it imports from it.
    static func readsWithoutStep(_ file: UnsafePointer<FileFacts>, anyOf modules: Modules) -> Bool {
        file.pointee.imports.withUnsafeBufferPointer { imports in
            for k in imports.indices where names(imports.baseAddress! + k, anyOf: modules) {
                if imports[k].form == .from && imports[k].name == "*" { return true }
                if let bound = imports[k].boundName, bindingCount(of: bound, in: file.pointee) > 1 { return true }
            }
            return false
        }
    }

    /// How many statements at the top level of `file` (and imports anywhere) bind `name`.
    private static func bindingCount(of name: String, in file: FileFacts) -> Int {
        var count = 0
        for k in file.imports.indices where file.imports[k].boundName == name { count += 1 }
        for k in file.classes.indices where file.classes[k].isTopLevel && file.classes[k].name == name { count += 1 }
        for k in file.functions.indices where file.functions[k].isTopLevel && file.functions[k].name == name { count += 1 }
        for k in file.assignments.indices where !file.assignments[k].isAugmented && file.assignments[k].name == name { count += 1 }
        return count
    }

    /// Whether resolving the names of `file`, whose imports name none of `modules`, may read one of them: one of
    /// its attribute walks does, or the resolution of a name it imports passes through one.
    static func resolves(_ file: UnsafePointer<FileFacts>, through modules: Modules, table: SymbolTable) -> Bool {
        let imports = file.pointee.imports
        if !file.pointee.attributeUses.isEmpty {
            // Where each plain import's walks start: the top-level package for `import a.b`, the module itself for
            // `import a.b as c`; only those of project modules, as a walk from outside the project stays outside.
            var starts: [(bound: String, module: String)] = []
            for k in imports.indices where imports[k].form == .plain {
                guard let bound = imports[k].boundName else { continue }
                let start = imports[k].alias == nil ? bound : imports[k].module
                if table.contains(module: start) { starts.append((bound, start)) }
            }
            let uses = file.pointee.attributeUses
            for start in starts {
                for u in uses.indices where uses[u].base == start.bound && walk(from: start.module, through: uses[u].path, reads: modules, table: table) {
                    return true
                }
            }
        }
        guard let sites = table.importsByPath[file.pointee.path] else { return false }
        // Resolutions read in place, through the buffer: each copied out retained its strings.
        return sites.withUnsafeBufferPointer { sites in
            sites.indices.contains { k in
                mentions(sites.baseAddress! + k, anyOf: modules)
            }
        }
    }

    /// Whether the walk from `module` through `path` (each part a name the module binds, or its submodule) reads
    /// one of `modules`, as the symbol table resolves each step.
    private static func walk(from module: String, through path: [String], reads modules: Modules, table: SymbolTable) -> Bool {
        var current = module
        for part in path {
            let next = table.resolve(part, in: current)
            if mentions(next, anyOf: modules) { return true }
            guard case .module(let submodule) = next.origin else { return false }
            current = submodule
        }
        return false
    }

    /// Whether an import reads one of `modules`: the module it names or a package above it, a module under a
    /// name it imports from a package, or a module under a package it star-imports.
    static func names(_ fact: UnsafePointer<ImportFact>, anyOf modules: Modules) -> Bool {
        if modules.areRead(through: fact.pointee.module) { return true }
        guard fact.pointee.form == .from, let name = fact.pointee.name else { return false }
        return name.utf8.count == 1 && name.utf8.first == UInt8(ascii: "*")
            ? modules.overlap(fact.pointee.module) : modules.lieUnder(fact.pointee.module, name)
    }

    /// Whether `module` is `package.name` or below it, without making that string.
    static func isModule(_ module: String, within package: String, _ name: String) -> Bool {
        let utf8 = module.utf8
        guard utf8.count > package.utf8.count, utf8.starts(with: package.utf8),
            utf8.dropFirst(package.utf8.count).first == UInt8(ascii: ".")
        else { return false }
        let rest = utf8.dropFirst(package.utf8.count + 1)
        guard rest.starts(with: name.utf8) else { return false }
        return rest.count == name.utf8.count || rest.dropFirst(name.utf8.count).first == UInt8(ascii: ".")
    }

    /// Whether a resolution passed through one of `modules` (a step of its chain, or its origin's module, or a
    /// package above either) or ended at a module that is one of them or lies above or below one.
    static func mentions(_ site: UnsafePointer<SymbolImport>, anyOf modules: Modules) -> Bool {
        for k in site.pointee.resolution.chain.indices where modules.areRead(through: site.pointee.resolution.chain[k].module) { return true }
        return mentions(site.pointee.resolution.origin, anyOf: modules)
    }

    static func mentions(_ resolved: ResolvedSymbol, anyOf modules: Modules) -> Bool {
        let chain = resolved.chain
        for k in chain.indices where modules.areRead(through: chain[k].module) { return true }
        return mentions(resolved.origin, anyOf: modules)
    }

    private static func mentions(_ origin: SymbolOrigin, anyOf modules: Modules) -> Bool {
        // Most origins of a project's imports are outside it: told apart before a payload is copied out.
        if case .external = origin { return false }
        switch origin {
        case .definition(let site): return modules.areRead(through: site.module)
        case .module(let module): return modules.overlap(module)
        case .missing(let module, _), .dynamic(let module, _), .cycle(let module, _): return modules.areRead(through: module)
        case .external: return false
        }
    }
}

extension ProjectIndex {
    /// The files outside `paths` that star-import (`from m import *`) the module of one of them, or of a file
    /// found so, and so on. Such a module reads names through the star import that no resolution's chain
    /// records, so an edit that reaches the module it star-imports can change them.
    public func starImporters(of paths: Set<String>) -> Set<String> {
        var modules = NameSet()
        for path in paths { if let file = file(atPath: path) { _ = modules.insert(file.module) } }
        var found: Set<String> = []
        var grew = true
        while grew {
            grew = false
            // Files and imports read in place: each copied out retained its every list.
            files.withUnsafeBufferPointer { files in
                for offset in files.indices {
                    let starsFound = files[offset].imports.withUnsafeBufferPointer { imports in
                        imports.indices.contains { imports[$0].name == "*" && modules.contains(imports[$0].module) }
                    }
                    guard starsFound, !paths.contains(files[offset].path), found.insert(files[offset].path).inserted else { continue }
                    _ = modules.insert(files[offset].module)
                    grew = true
                }
            }
        }
        return found
    }
}
