/// What binds a name at the top level of a module.
public enum Binding: Sendable, Hashable {
    case classDefinition(ClassFact)
    case functionDefinition(FunctionFact)
    case assignment(AssignmentFact)
    case importAlias(ImportFact)
}

/// A top-level definition: a class, a function or an assignment, in one module.
public struct DefinitionSite: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case `class`
        case function
        case assignment
    }

    public var module: String
    public var path: String
    public var name: String
    public var kind: Kind
    public var range: SourceRange

    public init(module: String, path: String, name: String, kind: Kind, range: SourceRange) {
        self.module = module
        self.path = path
        self.name = name
        self.kind = kind
        self.range = range
    }

    public var location: SourceLocation { SourceLocation(path: path, range: range) }
}

/// The whole project's facts, indexed: modules to files and names to the modules that define or bind them.
///
/// Built once per scan from every file under the scan root, so rules see the whole project even when only
/// some files are reported.
public struct ProjectIndex: Sendable {
    /// Every file's facts, sorted by path.
    public let files: [FileFacts]
    /// The paths whose findings are reported; nil reports every file.
    public let reportedPaths: Set<String>?
    private let fileByModule: [String: Int]
    /// Offsets of files that do not stand for their module: a `.pyi` beside its `.py`, a second file naming
    /// the same Python module.
    private let shadowed: Set<Int>
    private let definitionsByName: [String: [DefinitionSite]]
    private let bindingsByModule: [String: [String: Binding]]
    /// Every top-level name of every module resolved to its origin, and every symbol import, computed once.
    public let symbols: SymbolTable

    /// Indexes `files`. Where a `.py` and a `.pyi` give the same module, the `.py` is the module: a stub beside
    /// its source is the same module, not a second one. Every file of a Swift module (a SwiftPM target)
    /// stands for it; its first file in path order is `file(forModule:)`.
    ///
    /// `compiledModules` names the project's compiled modules (Cython sources, extension binaries): imports of
    /// them resolve, though what they bind is unknown.
    public init(files: [FileFacts], reportedPaths: Set<String>? = nil, compiledModules: [String] = []) {
        let sorted = files.sorted { $0.path < $1.path }
        var fileByModule: [String: Int] = [:]
        var shadowed: Set<Int> = []
        for (offset, file) in sorted.enumerated() {
            guard let existing = fileByModule[file.module] else {
                fileByModule[file.module] = offset
                continue
            }
            if file.language == .swift && sorted[existing].language == .swift { continue }
            if sorted[existing].isStub && !file.isStub {
                shadowed.insert(existing)
                fileByModule[file.module] = offset
            } else {
                shadowed.insert(offset)
            }
        }
        var definitions: [String: [DefinitionSite]] = [:]
        var bindings: [String: [String: Binding]] = [:]
        for (offset, file) in sorted.enumerated() where !shadowed.contains(offset) {
            let module = file.module
            var table = bindings[module] ?? [:]
            func define(_ name: String, _ kind: DefinitionSite.Kind, _ range: SourceRange, _ binding: Binding) {
                definitions[name, default: []].append(
                    DefinitionSite(module: module, path: file.path, name: name, kind: kind, range: range))
                table[name] = table[name] ?? binding
            }
            for fact in file.imports where fact.kind != .function {
                if let name = fact.boundName, table[name] == nil { table[name] = .importAlias(fact) }
            }
            for fact in file.classes where fact.isTopLevel { define(fact.name, .class, fact.range, .classDefinition(fact)) }
            for fact in file.functions where fact.isTopLevel {
                define(fact.name, .function, fact.range, .functionDefinition(fact))
            }
            for fact in file.assignments where !fact.isAugmented {
                define(fact.name, .assignment, fact.range, .assignment(fact))
            }
            bindings[module] = table
        }
        for key in definitions.keys { definitions[key]?.sort { $0.location < $1.location } }
        self.files = sorted
        self.reportedPaths = reportedPaths
        self.fileByModule = fileByModule
        self.shadowed = shadowed
        self.definitionsByName = definitions
        self.bindingsByModule = bindings
        // Symbol resolution follows Python's binding rules (one file per module, `from m import x`); a Swift
        // module spans its target's files and binds every public name of them, so Swift is left out.
        self.symbols = SymbolTable(
            files: fileByModule.values.sorted().map { sorted[$0] }.filter { $0.language == .python }, compiledModules: compiledModules)
    }

    /// The files that stand for modules (a stub shadowed by its source is left out; every file of a Swift
    /// module is in), in path order.
    public var moduleFiles: [FileFacts] {
        files.enumerated().filter { !shadowed.contains($0.offset) }.map(\.element)
    }

    /// The file that is `module`.
    public func file(forModule module: String) -> FileFacts? {
        fileByModule[module].map { files[$0] }
    }

    /// Whether a module of that name is in the project.
    public func contains(module: String) -> Bool { fileByModule[module] != nil }

    /// Every top-level definition of `name` across the project, in path order.
    public func definitions(of name: String) -> [DefinitionSite] { definitionsByName[name] ?? [] }

    /// All defined names, sorted.
    public var definedNames: [String] { definitionsByName.keys.sorted() }

    /// What binds `name` at the top level of `module`: a class, function, assignment or import.
    public func binding(of name: String, in module: String) -> Binding? { bindingsByModule[module]?[name] }

    /// Whether `module` is `package` or a module below it (`a.b.c` is within `a.b`, `a.bc` is not).
    public static func isModule(_ module: String, within package: String) -> Bool {
        module == package || (module.hasPrefix(package) && module.dropFirst(package.count).first == ".")
    }

    /// Whether findings in `path` are reported.
    public func isReported(_ path: String) -> Bool { reportedPaths?.contains(path) ?? true }
}
