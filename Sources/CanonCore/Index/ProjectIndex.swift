import Foundation

/// What binds a name at the top level of a module.
public enum Binding: Sendable, Hashable {
    case classDefinition(ClassFact)
    case functionDefinition(FunctionFact)
    case assignment(AssignmentFact)
    case importAlias(ImportFact)
}

/// Where the fact of a top-level binding is: a file of the index's list, which of its lists, and the place in
/// it. The index keeps these rather than `Binding`s, which held a copy of each fact (a function's is 130
/// bytes): the tables of bindings were 32 MB of a scan of the shared corpora, now 9.
struct BindingReference: Sendable, Hashable {
    enum List: UInt8, Sendable { case classes, functions, assignments, imports }

    var file: Int32
    var list: List
    var index: Int32

    init(file: Int, _ list: List, _ index: Int) {
        self.file = Int32(truncatingIfNeeded: file)
        self.list = list
        self.index = Int32(truncatingIfNeeded: index)
    }

    /// The binding, read from the index's list of files (in place: the file is not copied to read one fact).
    func binding(in files: [FileFacts]) -> Binding {
        let (file, index) = (Int(self.file), Int(self.index))
        return switch list {
        case .classes: .classDefinition(files[file].classes[index])
        case .functions: .functionDefinition(files[file].functions[index])
        case .assignments: .assignment(files[file].assignments[index])
        case .imports: .importAlias(files[file].imports[index])
        }
    }
}

/// A top-level definition: a class, a function or an assignment, in one module.
public struct DefinitionSite: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case `class`
        case function
        case assignment
    }

    /// The fields, behind one reference and never changed: sites are copied wherever imports are grouped by
    /// the definition they reach, and each copy retained the three strings.
    @usableFromInline final class Fields: Sendable {
        @usableFromInline let module: String
        @usableFromInline let path: String
        @usableFromInline let name: String
        @usableFromInline let kind: Kind
        @usableFromInline let range: SourceRange

        init(module: String, path: String, name: String, kind: Kind, range: SourceRange) {
            self.module = module
            self.path = path
            self.name = name
            self.kind = kind
            self.range = range
        }
    }

    @usableFromInline let fields: Fields

    @inlinable public var module: String { fields.module }
    @inlinable public var path: String { fields.path }
    @inlinable public var name: String { fields.name }
    @inlinable public var kind: Kind { fields.kind }
    @inlinable public var range: SourceRange { fields.range }

    public init(module: String, path: String, name: String, kind: Kind, range: SourceRange) {
        fields = Fields(module: module, path: path, name: name, kind: kind, range: range)
    }

    public var location: SourceLocation { SourceLocation(path: path, range: range) }

    /// Every field compared, the cheapest first: two sites of a table are mostly told apart by their ranges.
    public static func == (lhs: DefinitionSite, rhs: DefinitionSite) -> Bool {
        lhs.fields === rhs.fields
            || (lhs.range == rhs.range && lhs.kind == rhs.kind && lhs.name == rhs.name && lhs.path == rhs.path && lhs.module == rhs.module)
    }

    /// The path and where the range starts, which tell sites apart (a file is one module, and one place holds
    /// one definition), hashed with `NameHash`: hashing the module and name too, through `Hasher`, was most of
    /// the cost of grouping imports by definition.
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// What `Dictionary` and `Set` ask for: the digest spread with their seed, without a `Hasher`.
    public func _rawHashValue(seed: Int) -> Int { NameHash.finish(digest, seed: seed) }

    private var digest: UInt64 {
        NameHash.combine(NameHash.of(path), UInt64(UInt32(truncatingIfNeeded: range.line)) << 32 | UInt64(UInt32(truncatingIfNeeded: range.column)))
    }
}

/// The whole project's facts, indexed: modules to files and names to the modules that define or bind them.
///
/// Built once per scan from every file under the scan root, so rules see the whole project even when only
/// some files are reported.
public struct ProjectIndex: Sendable {
    /// Every file's facts, sorted by path.
    public private(set) var files: [FileFacts]
    /// The paths whose findings are reported; nil reports every file.
    public private(set) var reportedPaths: Set<String>?
    private var fileByModule: NameTable<Int>
    /// Offsets of files that do not stand for their module: a `.pyi` beside its `.py`, a second file naming
    /// the same Python module.
    private var shadowed: Set<Int>
    /// Every top-level definition by name, each name's in path order; put together when first asked for (from
    /// each file's sites, found with the bindings): after an edit, the rules that run rarely ask, and putting
    /// it together held one core for a tenth of the scan while the other had nothing to do.
    private var definitionTable: Lazy<[HashedName: [DefinitionSite]]>
    private var definitionsByName: [HashedName: [DefinitionSite]] { definitionTable.value }
    /// The offsets of the files with a star import (`from m import *`), in order.
    private(set) var starImporting: [Int]
    /// Each file's imports' top packages, as a mask (`ImportReach.topMask`), by offset: worked out while
    /// indexing, on every core, for `filesReaching`, which ran it over every import on one core. Only for an
    /// index built `deferringSymbolImports` (for a check after an edit, which asks `filesReaching`); else empty,
    /// and `filesReaching` works them out.
    private(set) var importMasks: [UInt64]
    private var bindingsByModule: NameTable<[HashedName: BindingReference]>
    /// Every top-level name of every module resolved to its origin, and every symbol import, computed once
    /// on first use (and, when a file is replaced, updated from the last table if it was built, working out
    /// again only what the file's change can reach): rules that never read it run while another rule's thread
    /// builds it. With `deferringSymbolImports`, a file's symbol imports are worked out when first asked for.
    public var symbols: SymbolTable { symbolTable.value }
    private var symbolTable: Lazy<SymbolTable>
    /// The files that stand for modules, kept rather than filtered again on every use.
    private var standingFiles: [FileFacts]
    let compiledModules: [String]
    /// How many threads the index and its symbol table are built on; nil for every core on a large project.
    private let jobs: Int?

    /// Indexes `files`. Where a `.py` and a `.pyi` give the same module, the `.py` is the module: a stub beside
    /// its source is the same module, not a second one. Every file of a Swift module (a SwiftPM target)
    /// stands for it; its first file in path order is `file(forModule:)`.
    ///
    /// `compiledModules` names the project's compiled modules (Cython sources, extension binaries): imports of
    /// them resolve, though what they bind is unknown. `jobs` bounds the threads the index and its symbol table
    /// are built on; nil takes one for a small project and every core for one of 256 modules or more.
    /// `buildingSymbolTable` starts the symbol table at once, on another thread, while the rest of the index
    /// is put together (both have stretches that run on one thread): for a caller whose rules read it.
    /// `deferringSymbolImports` leaves each file's symbol imports to be worked out when first asked for: for a
    /// check after an edit, which may read few files' (see `SymbolTable.deferred`).
    public init(
        files: [FileFacts], reportedPaths: Set<String>? = nil, compiledModules: [String] = [], jobs: Int? = nil,
        buildingSymbolTable: Bool = false, deferringSymbolImports: Bool = false
    ) {
        // Files usually come in path order: then the list is shared, not copied and sorted again.
        // Files are read by index, field by field, here and below: a file taken out of the list whole is
        // copied, twenty-odd references retained and released, to read one field.
        let sorted = files.indices.dropFirst().allSatisfy { files[$0 - 1].path < files[$0].path }
            ? files : files.sorted { $0.path < $1.path }
        var fileByModule = NameTable<Int>()
        fileByModule.reserveCapacity(sorted.count)
        var shadowed: Set<Int> = []
        for offset in sorted.indices {
            guard let existing = fileByModule[sorted[offset].module] else {
                fileByModule[sorted[offset].module] = offset
                continue
            }
            if sorted[offset].language == .swift && sorted[existing].language == .swift { continue }
            if sorted[existing].isStub && !sorted[offset].isStub {
                shadowed.insert(existing)
                fileByModule[sorted[offset].module] = offset
            } else {
                shadowed.insert(offset)
            }
        }
        let modules = fileByModule
        let symbolTable = Lazy {
            Self.symbolTable(
                sorted, fileByModule: modules, compiledModules: compiledModules, jobs: jobs, resolvingImports: !deferringSymbolImports)
        }
        if buildingSymbolTable { DispatchQueue.global().async { _ = symbolTable.value } }
        let standingOffsets = shadowed.isEmpty ? Array(sorted.indices) : sorted.indices.filter { !shadowed.contains($0) }
        let standing = shadowed.isEmpty ? sorted : standingOffsets.map { sorted[$0] }
        // Each file's entries on every core for a large project; joined in path order.
        let threads = max(1, jobs ?? (standing.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount))
        // A check after an edit rarely asks for the definitions: their sites are made when first asked for.
        let makingSites = !deferringSymbolImports
        let entries = concurrentMap(standingOffsets, jobs: threads) { Self.entries(of: sorted[$0], at: $0, sites: makingSites) }
        // Star imports are rare: the files that have one are found here, on every core, for `starImporters`; and,
        // for a check after an edit, each file's mask of top packages, for `filesReaching`.
        let scanned = concurrentMap(Array(sorted.indices), jobs: threads) { offset in
            (star: Self.hasStarImport(sorted[offset]), mask: deferringSymbolImports ? ImportReach.topMask(of: sorted[offset].imports) : 0)
        }
        var bindings = NameTable<[HashedName: BindingReference]>()
        bindings.reserveCapacity(standing.count)
        for (offset, (_, table)) in zip(standing.indices, entries) {
            let module = standing[offset].module
            if bindings[module] == nil {
                bindings[module] = table
            } else {
                bindings[module]!.merge(table) { earlier, _ in earlier }
            }
        }
        let sites = entries.map(\.sites)
        self.files = sorted
        self.reportedPaths = reportedPaths
        self.fileByModule = fileByModule
        self.shadowed = shadowed
        self.definitionTable = makingSites
            ? Lazy { Self.definitionsByName(sites) }
            : Lazy {
                Self.definitionsByName(concurrentMap(standingOffsets, jobs: threads) { Self.entries(of: sorted[$0], at: $0, table: false).sites })
            }
        self.starImporting = sorted.indices.filter { scanned[$0].star }
        self.importMasks = deferringSymbolImports ? scanned.map(\.mask) : []
        self.bindingsByModule = bindings
        self.compiledModules = compiledModules
        self.jobs = jobs
        self.symbolTable = symbolTable
        self.standingFiles = standing
    }

    /// Whether one of `file`'s imports is a star import.
    private static func hasStarImport(_ file: FileFacts) -> Bool {
        file.imports.withUnsafeBufferPointer { imports in imports.indices.contains { imports[$0].isStar } }
    }

    /// The definitions of `sites` (each file's, in path order) by name, each name's sorted by location.
    private static func definitionsByName(_ sites: [[DefinitionSite]]) -> [HashedName: [DefinitionSite]] {
        var definitions: [HashedName: [DefinitionSite]] = [:]
        definitions.reserveCapacity(sites.reduce(0) { $0 + $1.count })
        for list in sites {
            for site in list { definitions[HashedName(site.name), default: []].append(site) }
        }
        // Through the values in place, by index: walking the keys (or `indices`, which holds the table) while
        // changing the values copied the whole table.
        var position = definitions.values.startIndex
        while position != definitions.values.endIndex {
            if definitions.values[position].count > 1 { definitions.values[position].sort { $0.location < $1.location } }
            definitions.values.formIndex(after: &position)
        }
        return definitions
    }

    /// Symbol resolution follows Python's binding rules (one file per module, `from m import x`); a Swift
    /// module spans its target's files and binds every public name of them, so Swift is left out.
    private static func symbolTable(
        _ files: [FileFacts], fileByModule: NameTable<Int>, compiledModules: [String], jobs: Int?, resolvingImports: Bool = true
    ) -> SymbolTable {
        // The files standing for modules are the Python files that are not shadowed: when there are only such
        // files, the list is shared rather than copied.
        let python = files.count == fileByModule.count && files.indices.allSatisfy { files[$0].language == .python }
            ? files : fileByModule.values.sorted().map { files[$0] }.filter { $0.language == .python }
        return SymbolTable(files: python, compiledModules: compiledModules, jobs: jobs, resolvingImports: resolvingImports)
    }

    /// Puts `file` in place of the Python file with the same path, re-indexing only its module, so an editor's
    /// one-file change costs little in a large project. Returns false, changing nothing, when no file has that
    /// path, the new one differs in module or stubness, or it is a Swift file (whose module spans many files);
    /// then build a new index.
    public mutating func replace(_ file: FileFacts) -> Bool {
        guard file.language == .python else { return false }
        let low = offset(of: file.path)
        guard low < files.count, files[low].path == file.path, files[low].module == file.module,
            files[low].isStub == file.isStub, files[low].language == .python
        else { return false }
        let old = files[low]
        let (previousFiles, shadowed) = (files, shadowed)
        files[low] = file
        if !importMasks.isEmpty { importMasks[low] = ImportReach.topMask(of: file.imports) }
        if Self.hasStarImport(file) != Self.hasStarImport(old) {
            let current = self.files
            starImporting = current.indices.filter { Self.hasStarImport(current[$0]) }
        }
        guard !shadowed.contains(low) else { return true }
        let (oldSites, _) = Self.entries(of: old, at: low, table: false)
        let (newSites, table) = Self.entries(of: file, at: low)
        // The last table is moved out rather than copied, so updating it does not copy it whole; an index that
        // still holds it (a copy of the old one) puts it together again if asked.
        _ = definitionTable.value
        var definitions = definitionTable.take {
            Self.definitionsByName(previousFiles.indices.filter { !shadowed.contains($0) }.map { Self.entries(of: previousFiles[$0], at: $0, table: false).sites })
        } ?? [:]
        for name in Set(oldSites.map { HashedName($0.name) }) { definitions[name]?.removeAll { $0.module == file.module } }
        for site in newSites { definitions[HashedName(site.name), default: []].append(site) }
        for name in Set(oldSites.map { HashedName($0.name) }).union(newSites.map { HashedName($0.name) }) {
            if definitions[name]?.isEmpty == true {
                definitions[name] = nil
            } else {
                definitions[name]?.sort { $0.location < $1.location }
            }
        }
        let updated = definitions
        definitionTable = Lazy { updated }
        bindingsByModule[file.module] = table
        let (files, fileByModule, compiledModules, previous, jobs) = (files, fileByModule, compiledModules, symbolTable, jobs)
        symbolTable = Lazy {
            // The last table is moved out rather than copied, so updating it does not copy its dictionaries;
            // an index that still holds it (a copy of the old one) builds it again if asked.
            let rebuild: @Sendable () -> SymbolTable = {
                var files = files
                files[low] = old
                return Self.symbolTable(files, fileByModule: fileByModule, compiledModules: compiledModules, jobs: jobs)
            }
            if var table = previous.take(rebuilding: rebuild), table.replace(file, files: files) { return table }
            return Self.symbolTable(files, fileByModule: fileByModule, compiledModules: compiledModules, jobs: jobs)
        }
        if let position = standingFiles.firstIndex(where: { $0.path == file.path }) { standingFiles[position] = file }
        return true
    }

    /// Works out now, if the symbol table is built, what following a one-file `replace` needs of it (which
    /// resolutions each file's positions reach), so that the first replacement does not.
    public func prepareForReplace() {
        let files = files
        symbolTable.modifyIfBuilt { $0.prepareDependents(files: files) }
    }

    /// The top-level bindings of `file` as `binding(of:in:)` gives them once the file is indexed.
    public static func bindings(of file: FileFacts) -> [String: Binding] {
        let files = [file]
        return Dictionary(uniqueKeysWithValues: entries(of: file, at: 0).table.lazy.map { ($0.key.text, $0.value.binding(in: files)) })
    }

    /// What one file, at `offset` in the index's list, contributes: its top-level definitions, and its table of
    /// top-level bindings.
    /// With `sites` false, no definition site is made (the list is empty); with `table` false, no binding is.
    /// (Inlined, so that each caller's flags are constants: called with variables, the imports' bound names were
    /// read through a call on a copy of each import.)
    @inline(__always)
    private static func entries(
        of file: FileFacts, at offset: Int, sites makingSites: Bool = true, table makingTable: Bool = true
    ) -> (sites: [DefinitionSite], table: [HashedName: BindingReference]) {
        var sites: [DefinitionSite] = []
        var table: [HashedName: BindingReference] = [:]
        // Room for every binding up front (by index, so that no fact is copied to be counted): a table grown as it
        // fills hashes its names again at each doubling.
        var definitionCount = file.assignments.count
        for k in file.classes.indices where file.classes[k].isTopLevel { definitionCount += 1 }
        definitionCount += file.topLevelFunctionCount
        if makingSites { sites.reserveCapacity(definitionCount) }
        if makingTable { table.reserveCapacity(definitionCount + file.imports.count) }
        func define(_ name: String, _ kind: DefinitionSite.Kind, _ range: SourceRange, _ list: BindingReference.List, _ index: Int) {
            if makingSites { sites.append(DefinitionSite(module: file.module, path: file.path, name: name, kind: kind, range: range)) }
            if makingTable { table.insertIfAbsent(HashedName(name), BindingReference(file: offset, list, index)) }
        }
        // Through the buffers and by index, so that no fact is copied to read its name.
        if makingTable {
            file.imports.withUnsafeBufferPointer { imports in
                for k in imports.indices where imports[k].kind != .function {
                    if let name = imports[k].boundName { table.insertIfAbsent(HashedName(name), BindingReference(file: offset, .imports, k)) }
                }
            }
        }
        for k in file.classes.indices where file.classes[k].isTopLevel {
            define(file.classes[k].name, .class, file.classes[k].range, .classes, k)
        }
        file.forEachTopLevelFunction { index, name, range in define(name, .function, range, .functions, index) }
        file.assignments.withUnsafeBufferPointer { assignments in
            for k in assignments.indices where !assignments[k].isAugmented {
                define(assignments[k].name, .assignment, assignments[k].range, .assignments, k)
            }
        }
        return (sites, table)
    }

    /// The files that stand for modules (a stub shadowed by its source is left out; every file of a Swift
    /// module is in), in path order.
    public var moduleFiles: [FileFacts] {
        standingFiles
    }

    /// Where a file of `path` is or would go in `files`.
    private func offset(of path: String) -> Int { Self.offset(of: path, in: files) }

    /// Where a file of `path` is or would go in `files`, sorted by path.
    static func offset(of path: String, in files: [FileFacts]) -> Int {
        files.partitioningIndex { $0.path >= path }
    }

    /// The facts of the file at `path` among `files`, sorted by path.
    static func file(atPath path: String, in files: [FileFacts]) -> FileFacts? {
        let offset = offset(of: path, in: files)
        return offset < files.count && files[offset].path == path ? files[offset] : nil
    }

    /// The facts of the file at `path`, if the index holds it.
    public func file(atPath path: String) -> FileFacts? { Self.file(atPath: path, in: files) }

    /// The files that stand for modules (as `moduleFiles`) whose findings are reported, in path order: what a
    /// rule that judges each file on its own needs to walk, so checking one file does not walk the project.
    public var reportedModuleFiles: [FileFacts] {
        guard let reportedPaths else { return standingFiles }
        return reportedPaths.map(offset(of:)).sorted().filter { $0 < files.count && reportedPaths.contains(files[$0].path) && !shadowed.contains($0) }
            .map { files[$0] }
    }

    /// The file that is `module`.
    public func file(forModule module: String) -> FileFacts? {
        fileByModule[module].map { files[$0] }
    }

    /// Whether a module of that name is in the project.
    public func contains(module: String) -> Bool { fileByModule[module] != nil }

    /// Every top-level definition of `name` across the project, in path order.
    public func definitions(of name: String) -> [DefinitionSite] { definitionsByName[HashedName(name)] ?? [] }

    /// All defined names, sorted.
    public var definedNames: [String] { definitionsByName.keys.map(\.text).sorted() }

    /// What binds `name` at the top level of `module`: a class, function, assignment or import.
    public func binding(of name: String, in module: String) -> Binding? {
        guard let reference = bindingsByModule[module]?[HashedName(name)] else { return nil }
        return reference.binding(in: files)
    }

    /// Whether `module` is `package` or a module below it (`a.b.c` is within `a.b`, `a.bc` is not).
    public static func isModule(_ module: String, within package: String) -> Bool {
        // The dot is looked for by UTF-8 offset: counting `package`'s characters would walk it grapheme by grapheme.
        module == package || (module.hasPrefix(package) && module.utf8.dropFirst(package.utf8.count).first == UInt8(ascii: "."))
    }

    /// The same index reporting findings in `paths` only (nil: every file), without indexing again.
    public func reporting(_ paths: Set<String>?) -> ProjectIndex {
        var copy = self
        copy.reportedPaths = paths
        return copy
    }

    /// Whether findings are reported in a few files only (at most 16, as an editor's one-file check): rules
    /// may then judge just those files, against structures kept across edits, rather than walk the project.
    public var reportsFewFiles: Bool { reportedPaths.map { $0.count <= 16 } ?? false }

    /// Whether findings in `path` are reported.
    public func isReported(_ path: String) -> Bool { reportedPaths?.contains(path) ?? true }
}
