import CanonCore
import Foundation

/// Reports a module-level assignment that creates an instance of a project class, or of a class named like a
/// manager, service, client or cache: one object created at import and shared by every importer.
public struct ModuleInstanceDetector: Detector {
    public struct Options: DetectorOptions, Hashable {
        /// Regular expressions; a class from outside the project is reported when its name matches one in full.
        public var patterns = [".*(Manager|Service|Factory|Registry|Client|Pool|Cache|Store|Monitor|Coordinator)$"]
        /// Regular expressions; a class whose name (as written, simple or qualified) matches one in full is
        /// never reported.
        public var allow: [String] = []
        /// Whether assignments in test files count.
        public var includeTests = false
        /// Globs that make a file a test file.
        public var testPatterns = TestFiles.defaultPatterns

        public init() {}

        public func validate() -> [OptionProblem] {
            NamePatterns.problems(in: patterns, key: "patterns") + NamePatterns.problems(in: allow, key: "allow")
        }

        enum CodingKeys: String, CodingKey {
            case patterns
            case allow
            case includeTests = "include_tests"
            case testPatterns = "test_patterns"
        }
    }

    public static let description = RuleDescription(
        id: "module_instance",
        code: "SGL003",
        family: .singletons,
        summary: "A module-level name is bound to a stateful instance of a project class or of a manager-like class",
        rationale: """
            `manager = ConnectionManager()` at module level runs at import and hands the same object to every \
            importer for the life of the process: whatever it caches or holds for one user is there for the \
            next, and tests cannot get a fresh one. Create the instance where its lifetime begins (per request, \
            per application, in a factory the caller owns) and pass it in. Reported: calls of classes from \
            outside the project whose name matches `patterns`, and calls of project classes whose instances \
            gather state as they are used (a method other than a constructor adds to, removes from or updates \
            a container attribute of `self`/`cls`, or counts with `+=`; the class defines `__setitem__`; or it \
            derives from `dict`/`list`/`set`; inherited through project bases) when the class is a singleton \
            in practice: the project makes only one module-level instance of it, or its name matches \
            `patterns`, or it is a container. A class instantiated at module level again and again is a \
            building block (tables, signals, template libraries): add its name to `patterns` to report it. \
            Value objects (`meter = Unit("m")`), even ones with setters, are not reported. Never: ALL_CAPS \
            constants and dunder names, locks, events, semaphores, thread locals, `TypeVar`/`ParamSpec`/\
            `NewType`, `ContextVar`, loggers, enums, named tuples and typed dicts, classes matching `allow`, \
            test files (unless `include_tests`), and scripts whose path is not an importable module name \
            (`test-examples/run.py`).
            """,
        defaultSeverity: .warning,
        options: [
            OptionDescription("patterns", "regular expressions; classes from outside the project (or not resolved) whose name matches one in full are reported"),
            OptionDescription("allow", "regular expressions; classes whose name (as written, simple or qualified) matches one in full are not reported"),
            OptionDescription("include_tests", "report module-level instances in test files and folders too"),
            OptionDescription("test_patterns", "globs that mark test files and folders"),
        ],
        triggeringExamples: [
            Example(files: [
                ExampleFile(
                    "app/ws.py",
                    """
                    class WebSocketManager:
                        def __init__(self):
                            self.connections = {}

                        def connect(self, socket):
                            self.connections[socket.id] = socket
                    """),
                ExampleFile(
                    "app/main.py",
                    """
                    import redis
                    from app import ws
                    from app.ws import WebSocketManager as Manager

                    ↓manager = Manager()
                    ↓other = ws.WebSocketManager()
                    ↓pool: redis.ConnectionPool = redis.ConnectionPool(max_connections=10)
                    """),
            ]),
            Example(
                """
                class _Tally:
                    def __init__(self):
                        self.counts = {}

                    def add(self, key):
                        self.counts[key] = self.counts.get(key, 0) + 1


                class Hits(_Tally):
                    pass


                Tally = _Tally
                ↓tally = Tally()
                ↓hits = Hits()
                """),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile("app/ws.py", "class WebSocketManager:\n    pass\n"),
                ExampleFile(
                    "app/main.py",
                    """
                    import logging
                    import threading
                    from contextvars import ContextVar
                    from enum import Enum
                    from typing import NamedTuple, TypeVar

                    from app.ws import WebSocketManager


                    class Color(Enum):
                        RED = 1


                    class Point(NamedTuple):
                        x: int


                    class Unit:
                        def __init__(self, name):
                            self.name = name
                            self.aliases = []

                        def rename(self, name):
                            self.name = name


                    DEFAULT_MANAGER = WebSocketManager()
                    logger = logging.getLogger(__name__)
                    _lock = threading.RLock()
                    request_id = ContextVar("request_id")
                    T = TypeVar("T")
                    red = Color(1)
                    origin = Point(0)
                    meter = Unit("m")
                    helper = WebSocketManager


                    def handle():
                        manager = WebSocketManager()
                        return manager
                    """),
            ]),
            Example(
                """
                from requests import Session
                from storage import BlobStore

                session = Session()
                store = BlobStore()
                """,
                options: "allow: ['.*Store']"),
        ])

    private let options: Options
    private let patterns: NamePatterns
    private let allow: NamePatterns
    private let tests: TestFiles?

    public init(options: Options) {
        self.options = options
        patterns = NamePatterns(options.patterns)
        allow = NamePatterns(options.allow)
        tests = options.includeTests ? nil : TestFiles(patterns: options.testPatterns)
    }

    /// Outside names (last component) and project base classes whose instances are never reported.
    static let exemptKinds: Set<String> = [
        "Lock", "RLock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier", "local",
        "TypeVar", "ParamSpec", "TypeVarTuple", "NewType", "ContextVar",
        "getLogger", "get_logger", "getLoggerClass", "Logger", "LoggerAdapter",
        "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "EnumMeta", "EnumType",
        "namedtuple", "NamedTuple", "TypedDict",
    ]

    public static var preparedValues: [any IndexDerived.Type] { [ProjectNames.self, ClassHierarchy.self] }

    /// A file's classes, class attributes, member mutations, methods, module-level assignments and the imports
    /// their names start with (`FileFacts.classFactsHash`): all the rule reads of it but what names resolve to.
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? { file.classFactsHash }

    public func detect(in context: DetectionContext) -> [Violation] {
        let names = context.derived(ProjectNames.self)
        let hierarchy = context.derived(ClassHierarchy.self)
        var candidates: [(file: FileFacts, assignment: AssignmentFact, instance: Instance)] = []
        // Checking a few files: only their assignments are reported, against the project's instance counts
        // kept across checks.
        let few = context.index.reportsFewFiles
        for file in few ? context.index.reportedModuleFiles : context.index.moduleFiles {
            for (assignment, callee) in calls(in: file) {
                guard let instance = instance(of: callee, in: file.module, names: names, hierarchy: hierarchy) else { continue }
                candidates.append((file, assignment, instance))
            }
        }
        var instancesPerClass: [String: Int] = [:]
        if few {
            instancesPerClass = context.derived(InstanceCounts.self, parameters: options).perClass
        } else {
            for candidate in candidates {
                if case .project(let entry) = candidate.instance { instancesPerClass[entry.key, default: 0] += 1 }
            }
        }
        return candidates.compactMap { candidate in
            let className: String
            switch candidate.instance {
            case .outside(let name):
                className = name
            case .project(let entry):
                guard Self.accumulatesState(entry, hierarchy),
                    instancesPerClass[entry.key] == 1 || patterns.matches(entry.fact.name)
                        || hierarchy.firstAncestor(of: entry, where: Self.isContainer) != nil
                else { return nil }
                className = entry.key
            }
            return Violation(
                location: SourceLocation(path: candidate.file.path, range: candidate.assignment.range),
                message: """
                    module-level '\(candidate.assignment.name)' is one \(className) instance created at import and \
                    shared by every importer; create it where its lifetime begins and pass it in
                    """,
                subject: "\(candidate.file.module).\(candidate.assignment.name)")
        }
    }

    /// The class a module-level call instantiates, as far as the rule cares.
    private enum Instance {
        /// A class of the project, judged by what it does.
        case project(ClassHierarchy.Entry)
        /// A class from outside the project (or not resolved) whose name matches `patterns`.
        case outside(String)
    }

    /// The module-level assignments of `file` that the rule looks at, with the callee each calls.
    func calls(in file: FileFacts) -> [(assignment: AssignmentFact, callee: String)] {
        guard Self.isImportable(file.module), !(tests?.contains(file.path) ?? false) else { return [] }
        return file.assignments.compactMap { assignment in
            guard !assignment.isAugmented, case .call(let callee) = assignment.value,
                !PythonShapes.isConstantName(assignment.name),
                !(assignment.name.hasPrefix("__") && assignment.name.hasSuffix("__"))
            else { return nil }
            return (assignment, callee)
        }
    }

    /// What `callee` instantiates, or nil when the call is never reported: an exempt kind, an allowed class,
    /// a function, an outside class not named like a manager.
    private func instance(of callee: String, in module: String, names: ProjectNames, hierarchy: ClassHierarchy) -> Instance? {
        switch instantiated(callee, in: module, names: names) {
        case .projectClass(let module, let fact): hierarchy.entry(module: module, qualifiedName: fact.qualifiedName).map(Instance.project)
        case .external(let dotted): .outside(dotted)
        default: nil
        }
    }

    /// What `callee` instantiates as `instance(of:in:names:hierarchy:)` judges it, before the class is looked
    /// up in the hierarchy: a project class, an outside name (as `.external`), or nil.
    func instantiated(_ callee: String, in module: String, names: ProjectNames) -> ResolvedName? {
        var visits: [String]?
        return instantiated(callee, in: module, names: names, visits: &visits)
    }

    /// `instantiated(_:in:names:)`, noting in `visits` (when not nil) the modules whose names it read, and
    /// `Self.classesNamed(_:)` when it looked for the project's classes of the callee's name.
    func instantiated(_ callee: String, in module: String, names: ProjectNames, visits: inout [String]?) -> ResolvedName? {
        let simple = PythonShapes.lastComponent(callee)
        guard !Self.exemptKinds.contains(simple) else { return nil }
        var resolved = names.resolve(callee, in: module, visits: &visits)
        if resolved == .unknown, !callee.contains(".") {
            visits?.append(Self.classesNamed(callee))
            if let only = names.projectClasses(named: callee).first { resolved = .projectClass(module: only.module, only.fact) }
        }
        let candidates = [callee, simple] + (resolved.qualifiedName.map { [$0, PythonShapes.lastComponent($0)] } ?? [])
        if candidates.contains(where: { allow.matches($0) }) { return nil }
        switch resolved {
        case .projectClass(let module, let fact):
            guard !fact.bases.contains(where: { Self.exemptKinds.contains(PythonShapes.lastComponent($0)) }) else { return nil }
            return .projectClass(module: module, fact)
        case .external(let dotted):
            let name = PythonShapes.lastComponent(dotted)
            guard !Self.exemptKinds.contains(name), patterns.matches(name) else { return nil }
            return .external(dotted)
        case .unknown:
            return patterns.matches(simple) ? .external(callee) : nil
        case .projectModule, .projectValue:
            return nil
        }
    }

    /// What `instantiated(_:in:names:visits:)` notes when it reads the project's classes named `name`: not a
    /// module name (it has a space).
    static func classesNamed(_ name: String) -> String { "classes named \(name)" }

    /// Methods that build or describe an object rather than use it: what they store is construction.
    static let constructionMethods: Set<String> = [
        "__init__", "__new__", "__post_init__", "__init_subclass__", "__set_name__", "__setstate__", "__copy__",
        "__deepcopy__", "__class_getitem__",
    ]
    /// Bases (last component) that make a class a mutable container.
    static let mutableBases: Set<String> = PythonShapes.mutableContainerConstructors.union([
        "UserDict", "UserList", "MutableMapping", "MutableSet", "MutableSequence",
    ])

    /// Whether instances of a class (or of a project class it derives from) gather state as they are used: a
    /// method other than a constructor adds to, removes from or updates a container attribute of `self`/`cls`
    /// (or counts with `+=`), the class defines `__setitem__`/`__delitem__`, or it derives from a mutable
    /// container. Rebinding an attribute alone is configuration, not gathered state.
    static func accumulatesState(_ entry: ClassHierarchy.Entry, _ hierarchy: ClassHierarchy) -> Bool {
        hierarchy.firstAncestor(of: entry) { current in
            let name = current.fact.qualifiedName
            if isContainer(current) { return true }
            if current.file.functions.contains(where: {
                $0.className == name && ($0.name == "__setitem__" || $0.name == "__delitem__")
            }) {
                return true
            }
            return current.file.memberMutations.contains {
                $0.className == name && $0.kind != .rebind && !constructionMethods.contains($0.method)
            }
        } != nil
    }

    /// Whether a module can be imported by name at all: a script in a folder such as `test-examples/` has no
    /// importers to share its instances with.
    private static func isImportable(_ module: String) -> Bool {
        // An ASCII name (nearly every one) by byte: letters, digits and underscores, no part starting with a digit.
        if module.utf8.allSatisfy({ $0 < 0x80 }) {
            var previous = UInt8(ascii: ".")
            for byte in module.utf8 {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): break
                case UInt8(ascii: "0")...UInt8(ascii: "9"): if previous == UInt8(ascii: ".") { return false }
                default: return false
                }
                previous = byte
            }
            return true
        }
        return DottedName.parts(of: module).allSatisfy { part in
            guard let first = part.first, !first.isNumber else { return false }
            return part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }
    }

    /// Whether a class derives directly from a mutable container such as `dict`.
    private static func isContainer(_ entry: ClassHierarchy.Entry) -> Bool {
        entry.fact.bases.contains { mutableBases.contains(PythonShapes.lastComponent($0)) }
    }

}

/// How many module-level instances of each project class `module_instance` sees across the project, kept per
/// file so that one file's edit swaps its own share.
struct InstanceCounts: ParameterizedDerived {
    private let rule: ModuleInstanceDetector
    private var names: ProjectNames
    /// The project's instances by class key.
    private(set) var perClass: [String: Int] = [:]
    /// Each file's share of `perClass`, for files that have one.
    private var perFile: [String: [String: Int]] = [:]
    /// The files whose calls' resolution read each module's names (or the project's classes of a name), worked
    /// out on the first change of a module's names.
    private var readers: NameReaders?

    init(index: ProjectIndex, parameters: ModuleInstanceDetector.Options) {
        rule = ModuleInstanceDetector(options: parameters)
        names = ProjectNames(index: index)
        for file in index.moduleFiles {
            let share = share(of: file)
            guard !share.isEmpty else { continue }
            perFile[file.path] = share
            perClass.merge(share, uniquingKeysWith: +)
        }
    }

    /// A class of the project always has its entry in the hierarchy (both read the files standing for
    /// modules), so the entry's key is the resolved class's.
    private func share(of file: FileFacts) -> [String: Int] {
        var visits: [String]?
        return share(of: file, visits: &visits)
    }

    private func share(of file: FileFacts, visits: inout [String]?) -> [String: Int] {
        var share: [String: Int] = [:]
        for (_, callee) in rule.calls(in: file) {
            if case .projectClass(let module, let fact) = rule.instantiated(callee, in: file.module, names: names, visits: &visits) {
                share[DottedName.join(module, fact.qualifiedName), default: 0] += 1
            }
        }
        return share
    }

    /// When the file keeps its shape (`ProjectNames.shape`), every other file's calls resolve as before; else
    /// the files whose calls read the module's names, or its classes' names, are counted again.
    func replacing(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> InstanceCounts? {
        var counts = self
        return counts.replace(old, with: new, in: index) ? counts : nil
    }

    mutating func detach() { names.detach() }

    mutating func replace(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> Bool {
        guard names.replace(old, with: new, in: index) else { return false }
        guard index.file(forModule: new.module)?.path == new.path else { return true }
        guard ProjectNames.shape(of: old) != ProjectNames.shape(of: new) else {
            recount(new)
            return true
        }
        if readers == nil {
            var all = NameReaders()
            for file in index.moduleFiles {
                var visits: [String]? = []
                _ = share(of: file, visits: &visits)
                all.note(visits, by: file.path)
            }
            readers = all
        }
        var paths: Set<String> = [new.path]
        paths.formUnion(readers?.readers(of: new.module) ?? [])
        let named = Set(ProjectIndex.bindings(of: old).keys).union(ProjectIndex.bindings(of: new).keys)
        for name in named { paths.formUnion(readers?.readers(of: ModuleInstanceDetector.classesNamed(name)) ?? []) }
        for path in paths.sorted() {
            guard let file = index.file(atPath: path), index.file(forModule: file.module)?.path == path else { continue }
            recount(file)
        }
        return true
    }

    /// Takes the file's share out of the counts and puts its current one in, noting what it read.
    private mutating func recount(_ file: FileFacts) {
        for (key, count) in perFile[file.path] ?? [:] {
            perClass[key, default: 0] -= count
            if perClass[key] == 0 { perClass[key] = nil }
        }
        var visits: [String]? = readers == nil ? nil : []
        let share = share(of: file, visits: &visits)
        perFile[file.path] = share.isEmpty ? nil : share
        perClass.merge(share, uniquingKeysWith: +)
        readers?.note(visits, by: file.path)
    }
}
