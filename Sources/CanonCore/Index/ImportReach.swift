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
    ///
    /// Only the files near an edited module can have a resolution that reads one: those whose imports name it,
    /// or a plain import of which binds a module above or below it; then those near the modules of such files,
    /// and so on (`ImportReach.near`), since each step of a resolution's chain is in a module the step before
    /// names. When those are few, only their symbol imports are worked out (see `SymbolTable.deferred`).
    public func filesReaching(_ edited: Set<String>) -> Set<String>? {
        filesReaching(edited, nearLimit: 64)
    }

    /// `filesReaching(_:)`, looking through the resolutions of every file when more than `nearLimit` are near.
    func filesReaching(_ edited: Set<String>, nearLimit: Int) -> Set<String>? {
        var modules = ImportReach.Modules()
        for path in edited {
            guard let file = file(atPath: path), file.language == .python else { return nil }
            modules.insert(file.module)
        }
        let table = symbols
        // Files read in place, by offset: each copied out retained its every list.
        let known = importMasks
        return files.withUnsafeBufferPointer { files in
            let masks = known.count == files.count ? known : files.indices.map { ImportReach.topMask(of: files[$0].imports) }
            var reached = files.indices.map { edited.contains(files[$0].path) }
            // First the files whose imports name an edited module, which may make more modules edited (see
            // `ImportReach.readsWithoutStep`), and then the files whose resolutions read one.
            // A file reached in one pass is asked again in the next, which may name a module made edited since.
            var grew = true
            while grew {
                grew = false
                for offset in files.indices where masks[offset] & modules.topMask != 0 && !modules.contains(files[offset].module) {
                    guard ImportReach.imports(files[offset].imports, anyOf: modules) else { continue }
                    reached[offset] = true
                    if ImportReach.readsWithoutStep(files.baseAddress! + offset, anyOf: modules) {
                        modules.insert(files[offset].module)
                        grew = true
                    }
                }
            }
            if let near = ImportReach.near(files, masks: masks, modules, edited: edited, reached: reached, limit: nearLimit) {
                for offset in near where !reached[offset] {
                    let sites = table.imports(in: files[offset].path)
                    reached[offset] = ImportReach.resolves(files.baseAddress! + offset, through: modules, table: table, sites: sites)
                }
            } else {
                let all = table.allImports
                for offset in files.indices where !reached[offset] {
                    let sites = all[files[offset].path] ?? []
                    reached[offset] = ImportReach.resolves(files.baseAddress! + offset, through: modules, table: table, sites: sites)
                }
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
        /// The bits of the top-level packages (`ImportReach.topBit`): an import reads none of these modules when
        /// the bit of its module's top is not among them.
        private(set) var topMask: UInt64 = 0
        /// For more than a few names (a round of `ImportReach.near`), their hashes: each question is then a few
        /// lookups rather than a comparison with each name.
        private var hashed: Hashed?

        /// Hashes (`NameHash.of`) of the names (`exact`); of them and every package above them (`within`); and of
        /// each of those as its package and last name (`split`, `NameHash.combine` of the two). A hash that
        /// collides answers yes where the names would answer no: a file taken as reached or near when it is not,
        /// which costs another look at it, never a wrong finding.
        private struct Hashed {
            var exact: Set<UInt64> = []
            var within: Set<UInt64> = []
            var split: Set<UInt64> = []

            mutating func insert(_ module: String) {
                exact.insert(NameHash.of(module))
                var name = Substring(module)
                while within.insert(NameHash.of(String(name))).inserted, let dot = name.lastIndex(of: ".") {
                    split.insert(NameHash.combine(NameHash.of(String(name[..<dot])), NameHash.of(String(name[name.index(after: dot)...]))))
                    name = name[..<dot]
                }
            }
        }

        /// Names beyond which the questions are put to hashes.
        private static let hashingAbove = 2

        mutating func insert(_ module: String) {
            guard !names.contains(module) else { return }
            names.append(module)
            let top = Array(DottedName.top(of: module).utf8) + [UInt8(ascii: ".")]
            if !tops.contains(top) { tops.append(top) }
            topMask |= ImportReach.topBit(of: module)
            if hashed != nil {
                hashed!.insert(module)
            } else if names.count > Self.hashingAbove {
                var table = Hashed()
                for name in names { table.insert(name) }
                hashed = table
            }
        }

        func contains(_ module: String) -> Bool { names.contains(module) }

        /// Whether reading `module`'s names reads one of these: it is one of them, or one is a package above it.
        func areRead(through module: String) -> Bool {
            guard sharesTop(module) else { return false }
            if let hashed { return Self.anyPrefix(of: module, in: hashed.exact) }
            return names.contains { ProjectIndex.isModule(module, within: $0) }
        }

        /// Whether one of these is `module`, or above or below it.
        func overlap(_ module: String) -> Bool {
            guard sharesTop(module) else { return false }
            if let hashed { return Self.anyPrefix(of: module, in: hashed.exact) || hashed.within.contains(NameHash.of(module)) }
            return names.contains { ProjectIndex.isModule(module, within: $0) || ProjectIndex.isModule($0, within: module) }
        }

        /// Whether one of these is `package.name` or below it.
        func lieUnder(_ package: String, _ name: String) -> Bool {
            guard sharesTop(package) else { return false }
            if let hashed { return hashed.split.contains(NameHash.combine(NameHash.of(package), NameHash.of(name))) }
            return names.contains { ImportReach.isModule($0, within: package, name) }
        }

        /// Whether the hash of `module` or of a package above it is in `hashes`, each hashed from the borrowed
        /// UTF-8 without making the package's string.
        private static func anyPrefix(of module: String, in hashes: Set<UInt64>) -> Bool {
            module.withBorrowedUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                for k in bytes.indices where bytes[k] == UInt8(ascii: ".") {
                    if hashes.contains(NameHash.of(UnsafeRawBufferPointer(rebasing: raw[..<k]))) { return true }
                }
                return hashes.contains(NameHash.of(raw))
            }
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

    /// The bit, one of 64 by hash, that stands for the top-level package of `module`: its UTF-8 before the first
    /// dot. Every question `Modules` answers about a module asks first whether it shares a top-level package with
    /// one of them, which it cannot when its bit is not in their `topMask`.
    static func topBit(of module: String) -> UInt64 {
        module.withBorrowedUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            let end = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.endIndex
            return 1 << (NameHash.of(UnsafeRawBufferPointer(rebasing: raw[..<end])) & 63)
        }
    }

    /// The bits (`topBit`) of the modules of `imports`: a file none of whose imports shares a top-level package
    /// with edited modules is passed over with one test in each pass of `filesReaching` and round of `near`,
    /// where asking each import cost a pass over the corpora's 137,000 imports 10 M instructions.
    static func topMask(of imports: [ImportFact]) -> UInt64 {
        imports.withUnsafeBufferPointer { imports in
            var mask: UInt64 = 0
            for k in imports.indices { mask |= topBit(of: imports[k].module) }
            return mask
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
                if imports[k].isStar { return true }
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
        file.forEachTopLevelFunction { _, function, _ in if function == name { count += 1 } }
        for k in file.assignments.indices where !file.assignments[k].isAugmented && file.assignments[k].name == name { count += 1 }
        return count
    }

    /// The offsets of the files not `edited` that are near one of `modules`, or near the module of a file found
    /// so, and so on, in the order found; nil when there are more than `limit`. A file is near modules when one
    /// of its imports names one (`names(_:anyOf:)`), or is a plain import that binds a module above or below one
    /// (the top-level package for `import a.b`, the module itself for `import a.b as c`): a walk of its
    /// attributes (`a.b.c.X`) may reach it by submodules, and so may a file that imports the name it binds.
    ///
    /// The resolution of a name a file imports, or an attribute walk from a plain import, reads first the module
    /// it names (or modules below the one it binds), then modules their files name, and so on: a file that is
    /// not near cannot have a resolution that reads an edited module.
    ///
    /// `reached` tells the files whose imports name one of `modules` (`filesReaching` found them first); `masks`
    /// holds each file's `topMask(of:)` its imports.
    static func near(
        _ files: UnsafeBufferPointer<FileFacts>, masks: [UInt64], _ modules: Modules, edited: Set<String>, reached: [Bool], limit: Int
    ) -> [Int]? {
        var inside = files.indices.map { edited.contains(files[$0].path) }
        var found: [Int] = []
        var frontier = modules
        var first = true
        // Each file is asked once about each module: in each round, about those found in the round before.
        while !frontier.names.isEmpty {
            var next = Modules()
            for offset in files.indices where !inside[offset] {
                let shares = masks[offset] & frontier.topMask != 0
                let isNear = first ? reached[offset] || shares && comesNear(files[offset].imports, frontier, byPlainImportOnly: true)
                    : shares && comesNear(files[offset].imports, frontier)
                guard isNear else { continue }
                inside[offset] = true
                found.append(offset)
                guard found.count <= limit else { return nil }
                next.insert(files[offset].module)
            }
            frontier = next
            first = false
        }
        return found
    }

    /// Whether one of `imports` names one of `modules`, or is a plain import that binds a module above or below
    /// one (see `near`); with `byPlainImportOnly`, only the latter.
    private static func comesNear(_ imports: [ImportFact], _ modules: Modules, byPlainImportOnly: Bool = false) -> Bool {
        imports.withUnsafeBufferPointer { imports in
            imports.indices.contains { k in
                if !byPlainImportOnly && names(imports.baseAddress! + k, anyOf: modules) { return true }
                guard imports[k].form == .plain else { return false }
                return modules.overlap(imports[k].alias == nil ? DottedName.top(of: imports[k].module) : imports[k].module)
            }
        }
    }

    /// Whether resolving the names of `file`, whose imports name none of `modules`, may read one of them: one of
    /// its attribute walks does, or the resolution of a name it imports (one of `sites`, its symbol imports)
    /// passes through one.
    static func resolves(
        _ file: UnsafePointer<FileFacts>, through modules: Modules, table: SymbolTable, sites: [SymbolImport]
    ) -> Bool {
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

    /// Whether `module` is `package.name` or below it, without making that string: compared byte by byte, as the
    /// views' generic walks cost hundreds of instructions, asked of each import against each edited module.
    static func isModule(_ module: String, within package: String, _ name: String) -> Bool {
        module.withBorrowedUTF8 { m in
            package.withBorrowedUTF8 { p in
                name.withBorrowedUTF8 { n in
                    let end = p.count + 1 + n.count
                    guard m.count >= end, m[p.count] == UInt8(ascii: "."), m.count == end || m[end] == UInt8(ascii: ".") else {
                        return false
                    }
                    for k in 0..<p.count where m[k] != p[k] { return false }
                    for k in 0..<n.count where m[p.count + 1 + k] != n[k] { return false }
                    return true
                }
            }
        }
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
                for offset in starImporting {
                    let starsFound = files[offset].imports.withUnsafeBufferPointer { imports in
                        imports.indices.contains { imports[$0].isStar && modules.contains(imports[$0].module) }
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
