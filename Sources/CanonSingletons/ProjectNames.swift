import CanonCore

/// What a dotted name used in a module stands for, followed through the project's imports and aliases.
enum ResolvedName: Hashable {
    /// A class defined in the project.
    case projectClass(module: String, ClassFact)
    /// A module of the project.
    case projectModule(String)
    /// Something else the project defines: a function or a variable.
    case projectValue(module: String, name: String)
    /// A name from outside the project, as its dotted origin (`threading.Lock`).
    case external(String)
    /// A name that cannot be followed (a builtin, a star import, a computed attribute).
    case unknown

    /// The qualified name for messages (`pkg.mod.Class`, `threading.Lock`), if there is one.
    var qualifiedName: String? {
        switch self {
        case .projectClass(let module, let fact): "\(module).\(fact.qualifiedName)"
        case .projectModule(let module): module
        case .projectValue(let module, let name): "\(module).\(name)"
        case .external(let dotted): dotted
        case .unknown: nil
        }
    }
}

/// Follows names through the project index: imports (absolute and resolved relative ones), `import a.b`
/// attribute chains and `X = Y` aliases, to a class, a module or an outside name.
struct ProjectNames: IncrementallyDerived {
    private(set) var index: ProjectIndex
    /// Every module of the project and every package above one, namespace packages included.
    private let modules: NameSet
    /// Chains longer than this are taken for cycles.
    private let maxHops = 16

    init(index: ProjectIndex) {
        self.index = index
        let files = index.files
        // Room for every module and about as many packages; read by index, as a file taken whole is copied.
        var modules = NameSet(minimumCapacity: files.count * 2)
        for offset in files.indices {
            let module = files[offset].module
            if !module.isEmpty, modules.insert(module) { DottedName.addPackages(of: module, to: &modules) }
        }
        // A module named oddly (`.x`) has an empty package, which no dotted name stands for.
        modules.remove("")
        self.modules = modules
    }

    mutating func detach() { index = ProjectIndex(files: []) }

    /// A replaced file keeps its module, so the modules stay; names are read from the new index.
    func replacing(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> ProjectNames? {
        var names = self
        names.index = index
        return names
    }

    /// What resolution through `file` depends on, without positions: its top-level bindings and its classes
    /// with their bases. Files of equal shape resolve every name of the project alike.
    static func shape(of file: FileFacts) -> [String] {
        var shape = ProjectIndex.bindings(of: file).sorted { $0.key < $1.key }.map { name, binding -> String in
            switch binding {
            case .classDefinition: "\(name) class"
            case .functionDefinition: "\(name) function"
            case .assignment(let fact):
                if case .alias(let target) = fact.value { "\(name) alias \(target)" } else { "\(name) value" }
            case .importAlias(let fact): "\(name) import \(fact.form) \(fact.module) \(fact.name ?? "") \(fact.alias ?? "")"
            }
        }
        shape += file.classes.map { "class \($0.qualifiedName)(\($0.bases.joined(separator: ",")))" }
        return shape
    }

    /// What `dotted` (`Manager`, `mod.Manager`, `pkg.mod.Manager`) stands for in `module`.
    func resolve(_ dotted: String, in module: String) -> ResolvedName {
        var visits: [String]?
        return resolve(dotted, in: module, visits: &visits)
    }

    /// `resolve(_:in:)`, noting in `visits` (when not nil) each module whose bindings it read: what a change
    /// of those modules' top-level names can change.
    func resolve(_ dotted: String, in module: String, visits: inout [String]?) -> ResolvedName {
        resolve(DottedName.parts(of: dotted).map(String.init), in: module, hops: 0, visits: &visits)
    }

    private func resolve(_ parts: [String], in module: String, hops: Int, visits: inout [String]?) -> ResolvedName {
        guard let first = parts.first, hops < maxHops else { return .unknown }
        var current = resolve(name: first, in: module, hops: hops, visits: &visits)
        for part in parts.dropFirst() {
            switch current {
            case .projectModule(let parent):
                current = member(part, of: parent, hops: hops + 1, visits: &visits)
            case .external(let prefix):
                current = .external("\(prefix).\(part)")
            default:
                return .unknown
            }
        }
        return current
    }

    /// What `name` is as an attribute of project module `module`: a submodule or a name the module binds.
    private func member(_ name: String, of module: String, hops: Int, visits: inout [String]?) -> ResolvedName {
        visits?.append(module)
        if index.binding(of: name, in: module) == nil, modules.contains(DottedName.join(module, name)) {
            return .projectModule(DottedName.join(module, name))
        }
        return resolve(name: name, in: module, hops: hops, visits: &visits)
    }

    private func resolve(name: String, in module: String, hops: Int, visits: inout [String]?) -> ResolvedName {
        guard hops < maxHops else { return .unknown }
        visits?.append(module)
        switch index.binding(of: name, in: module) {
        case .classDefinition(let fact):
            return .projectClass(module: module, fact)
        case .functionDefinition:
            return .projectValue(module: module, name: name)
        case .assignment(let fact):
            if case .alias(let target) = fact.value, target != name {
                return resolve(DottedName.parts(of: target).map(String.init), in: module, hops: hops + 1, visits: &visits)
            }
            return .projectValue(module: module, name: name)
        case .importAlias(let fact):
            switch fact.form {
            case .plain:
                let target = fact.alias == nil ? DottedName.top(of: fact.module) : fact.module
                return modules.contains(target) ? .projectModule(target) : .external(target)
            case .from:
                guard let imported = fact.name else { return .unknown }
                return modules.contains(fact.module)
                    ? member(imported, of: fact.module, hops: hops + 1, visits: &visits) : .external("\(fact.module).\(imported)")
            }
        case nil:
            return .unknown
        }
    }

    /// The top-level classes of the project named `name`, with their modules, in path order: the fallback for
    /// a name that reaches a module through a star import.
    func projectClasses(named name: String) -> [(module: String, fact: ClassFact)] {
        index.definitions(of: name).filter { $0.kind == .class }.compactMap { site in
            guard case .classDefinition(let fact) = index.binding(of: name, in: site.module) else { return nil }
            return (site.module, fact)
        }
    }
}

/// Who read each module's names, as `ProjectNames.resolve(_:in:visits:)` notes the modules a resolution read:
/// the readers (classes, files) to resolve again when a module's top-level names change. A resolution reads a
/// module's names before and after a change of that module alike (the modules it passes through first are
/// unchanged), so entries stay true; one that no longer holds costs only a needless resolution.
struct NameReaders: Sendable {
    private var byModule: [String: Set<String>] = [:]

    mutating func note(_ visits: [String]?, by reader: String) {
        for module in Set(visits ?? []) { byModule[module, default: []].insert(reader) }
    }

    /// The readers of `module`'s names (or of what `visits` noted under that string).
    func readers(of module: String) -> Set<String> { byModule[module] ?? [] }
}
