import CanonCore
import Foundation

/// Reports a class that hands out one shared instance: `__new__` or a `get_instance()` class method returning
/// a cached `_instance`, a metaclass whose `__call__` caches instances and the classes that use it, a
/// `Singleton` base class or metaclass, a `@singleton` decorator.
public struct SingletonClassDetector: Detector {
    public static let description = RuleDescription(
        id: "singleton_class",
        code: "SGL004",
        family: .singletons,
        summary: "A class hands out one shared instance",
        rationale: """
            A singleton class makes one object for the whole process: every request, thread and test gets the \
            same instance and whatever state it holds, and nothing can ask for a fresh one. Recognised: \
            `__new__`, or an `instance`/`get_instance`/`shared` class or static method, returning a cached \
            `_instance`/`_instances`/`_singleton` attribute; a metaclass whose `__call__` caches the \
            instances it makes, and every class using it; a base class or metaclass named `Singleton`; a \
            `@singleton` decorator; in Swift, a class or actor whose `static` property named `shared`, \
            `sharedInstance`, `instance`, `default`, `current`, `standard` or `global` holds an instance of \
            itself (`static let shared = Cache()`; a `defaultInstance` template such as generated code keeps \
            for copy-on-write storage is not one). Create the object where its lifetime begins and pass it in. \
            An `Enum` with its own `__new__` is not a singleton.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(files: [
                ExampleFile(
                    "Sources/App/Cache.swift",
                    """
                    @MainActor
                    ↓public final class ImageCache {
                        public static let shared = ImageCache()
                        private init() {}
                    }

                    ↓actor Store {}

                    extension Store {
                        static var current = Store.init()
                    }
                    """)
            ]),
            Example(
                """
                ↓class Settings:
                    _instance = None

                    def __new__(cls, *args, **kwargs):
                        if cls._instance is None:
                            cls._instance = super().__new__(cls)
                        return cls._instance


                ↓class Registry:
                    @classmethod
                    def instance(cls):
                        if not hasattr(cls, "_instance"):
                            cls._instance = cls()
                        return cls._instance


                @singleton
                ↓class Clock:
                    pass


                ↓class DevSettings(Settings):
                    pass
                """),
            Example(files: [
                ExampleFile(
                    "app/meta.py",
                    """
                    ↓class SingletonMeta(type):
                        _instances = {}

                        def __call__(cls, *args, **kwargs):
                            if cls not in cls._instances:
                                cls._instances[cls] = super().__call__(*args, **kwargs)
                            return cls._instances[cls]
                    """),
                ExampleFile(
                    "app/services.py",
                    """
                    from app.meta import SingletonMeta
                    from lib import Singleton


                    ↓class Mailer(metaclass=SingletonMeta):
                        pass


                    ↓class Cache(Singleton):
                        pass
                    """),
            ]),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile(
                    "Sources/App/Settings.swift",
                    """
                    struct Settings {
                        static let `default` = Settings()
                    }

                    final class Pool {
                        static let size = 4
                        static let fallback = Settings()
                        let settings = Settings()
                    }

                    final class _StorageClass {
                        static let defaultInstance = _StorageClass()
                    }
                    """)
            ]),
            Example(
                """
                import enum


                class Point:
                    def __new__(cls, x, y):
                        self = super().__new__(cls)
                        self.x, self.y = x, y
                        return self


                class Planet(enum.Enum):
                    EARTH = (5.97e24, 6.37e6)

                    def __new__(cls, mass, radius):
                        obj = object.__new__(cls)
                        obj._value_ = mass
                        return obj


                class Builder:
                    _instance_count = 0

                    @classmethod
                    def instance(cls):
                        return cls()

                    def get_instance(self):
                        return self._instance


                class Meta(type):
                    def __call__(cls, *args, **kwargs):
                        obj = super().__call__(*args, **kwargs)
                        obj.ready = True
                        return obj


                class Widget(metaclass=Meta):
                    pass
                """),
        ])

    public init(options: NoOptions) {}

    /// Class or static methods that conventionally hand out the shared instance.
    static let accessorNames: Set<String> = [
        "instance", "get_instance", "getInstance", "shared", "shared_instance", "sharedInstance", "get_shared_instance",
    ]

    /// Whether `name` is one of `accessorNames`; asked of every function of every file with classes, so the
    /// first byte and the length are looked at, against those of the accessor names, before the name is hashed.
    static func isAccessorName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, accessorInitials[Int(first)], accessorLengths.contains(utf8.count) else { return false }
        return accessorNames.contains(name)
    }

    /// Whether an accessor name starts with each byte value.
    private static let accessorInitials: [Bool] = (0..<256).map { byte in accessorNames.contains { $0.utf8.first == UInt8(byte) } }
    private static let accessorLengths: ClosedRange<Int> = {
        let lengths = accessorNames.map(\.utf8.count)
        return lengths.min()!...lengths.max()!
    }()
    /// Bases that make a class an enumeration, whose `__new__` builds members rather than caches one instance.
    static let enumBases: Set<String> = ["Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"]

    public static var preparedValues: [any IndexDerived.Type] { [ProjectNames.self, ClassHierarchy.self] }

    /// A class is judged by its file, its ancestors' and its metaclass's (and theirs): after an edit, the
    /// classes of the files whose names may resolve differently, and every class below one of those or made by
    /// one as its metaclass, and so on.
    public static func filesToJudge(reach: Set<String>, in context: DetectionContext) -> Set<String>? {
        // Files that define no class add none, and the hierarchy is not built for them.
        guard Self.defineClasses(reach, in: context.index) else { return reach }
        let hierarchy = context.derived(ClassHierarchy.self)
        var keys = NameSet()
        for path in reach {
            for entry in hierarchy.entries(inPath: path) { keys.insert(entry.key) }
        }
        // The classes made by a project metaclass, and which.
        var made: [(made: String, by: String)]?
        var pending = Array(keys)
        while !pending.isEmpty {
            for key in hierarchy.descendants(of: pending) where keys.insert(key) { pending.append(key) }
            let lower = pending
            pending = []
            if made == nil {
                let names = context.derived(ProjectNames.self)
                made = hierarchy.all.compactMap { entry in
                    metaclass(of: entry.fact).flatMap { names.resolve($0, in: entry.module).qualifiedName }.map { (entry.key, $0) }
                }
            }
            let metaclasses = NameSet(lower)
            for (user, metaclass) in made ?? [] where metaclasses.contains(metaclass) && keys.insert(user) { pending.append(user) }
        }
        var files = reach
        for key in keys {
            if let entry = hierarchy.entry(key: key) { files.insert(entry.path) }
        }
        return files
    }

    /// Whether a file of `paths` defines a class.
    private static func defineClasses(_ paths: some Sequence<String>, in index: ProjectIndex) -> Bool {
        paths.contains { !(index.file(atPath: $0)?.classes.isEmpty ?? true) }
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        // Checking a few files that define no class (after an edit of such a file, say) reports nothing, and needs
        // neither the names nor the hierarchy built.
        if context.index.reportsFewFiles, let reported = context.index.reportedPaths, !Self.defineClasses(reported, in: context.index) {
            return []
        }
        let names = context.derived(ProjectNames.self)
        let hierarchy = context.derived(ClassHierarchy.self)
        func isClass(_ entry: ClassHierarchy.Entry) -> Bool {
            !entry.fact.bases.contains(where: { Self.enumBases.contains(PythonShapes.lastComponent($0)) })
        }
        guard context.index.reportsFewFiles, let reported = context.index.reportedPaths else {
            let classes = hierarchy.all.filter(isClass)
            return violations(of: classes, judging: classes, among: hierarchy.all, names: names, hierarchy: hierarchy)
        }
        // Checking some files: only their classes are reported, and what decides them is their ancestors'
        // reasons and whether their (and their ancestors') metaclasses cache, which reads those metaclasses'
        // ancestors.
        let own = reported.sorted().flatMap { hierarchy.entries(inPath: $0) }
        let lineage = hierarchy.withAncestors(own)
        let metaclasses = lineage.compactMap { entry in
            Self.metaclass(of: entry.fact).flatMap { names.resolve($0, in: entry.module).qualifiedName }.flatMap(hierarchy.entry(key:))
        }
        return violations(
            of: own.filter(isClass), judging: lineage.filter(isClass), among: hierarchy.withAncestors(lineage + metaclasses),
            names: names, hierarchy: hierarchy)
    }

    /// The findings for `reported`, given the reasons of `judged` (every ancestor of `reported` included) and
    /// which of `among` (`judged`, the metaclasses they name and their ancestors, in `all`'s order) are
    /// caching metaclasses.
    private func violations(
        of reported: [ClassHierarchy.Entry], judging classes: [ClassHierarchy.Entry], among candidates: [ClassHierarchy.Entry],
        names: ProjectNames, hierarchy: ClassHierarchy
    ) -> [Violation] {
        var cachingMetaclasses = NameTable<String>()
        for entry in candidates {
            // The bases first: the file is needed only for the few classes that could be metaclasses.
            if entry.fact.bases.contains(where: Self.isMetaclassBase), let holder = Self.metaclassCaching(entry.fact, in: entry.file) {
                cachingMetaclasses[entry.key] = holder
            }
        }
        // A metaclass deriving from a caching one inherits its `__call__`. Only classes below one can (most
        // projects have none), so the rest are not walked up.
        let belowCaching = hierarchy.descendants(of: cachingMetaclasses.keys)
        for entry in candidates where !belowCaching.isEmpty && belowCaching.contains(entry.key) && cachingMetaclasses[entry.key] == nil {
            if let base = hierarchy.firstAncestor(of: entry, orSelf: false, where: { cachingMetaclasses[$0.key] != nil }) {
                cachingMetaclasses[entry.key] = cachingMetaclasses[base.key]
            }
        }
        var reasons = NameTable<[String]>()
        // Per file, its functions that could hand out a cached instance: most files have none, and every class
        // would otherwise look through all of its file's functions. `classes` come in path order (`all`, or
        // `withAncestors`), so each file's are worked out once, when its first class comes.
        var last: (path: String, accessors: [Int])?
        for entry in classes {
            let fact = entry.fact
            var own: [String] = []
            if !cachingMetaclasses.isEmpty, let holder = cachingMetaclasses[entry.key] { own.append("it is a metaclass whose __call__ returns the cached \(holder)") }
            let path = entry.path
            let accessors: [Int]
            if let last, last.path == path {
                accessors = last.accessors
            } else {
                let functions = entry.file.functions
                accessors = functions.indices.filter {
                    functions[$0].name == "__new__" || Self.isAccessorName(functions[$0].name)
                }
                last = (path, accessors)
            }
            if !accessors.isEmpty { own += Self.accessorReasons(fact, in: entry.file, among: accessors) }
            if fact.decorators.contains(where: { PythonShapes.lastComponent($0).lowercased() == "singleton" }) {
                own.append("it is decorated @singleton")
            }
            for base in fact.bases where Self.isSingletonName(base) { own.append("it derives from \(base)") }
            if entry.language == .swift { own += Self.swiftSharedInstances(fact, in: entry.file) }
            if let metaclass = Self.metaclass(of: fact) {
                if Self.isSingletonName(metaclass) {
                    own.append("its metaclass is \(metaclass)")
                } else if let origin = names.resolve(metaclass, in: entry.module).qualifiedName, cachingMetaclasses[origin] != nil {
                    own.append("its metaclass \(metaclass) caches instances")
                }
            }
            if !own.isEmpty { reasons[entry.key] = own }
        }
        var violations: [Violation] = []
        let belowReasons = hierarchy.descendants(of: reasons.keys)
        for entry in reported {
            var why = reasons[entry.key] ?? []
            // A subclass of a singleton class is one too (metaclasses derived from a caching one are not).
            if why.isEmpty, !belowReasons.isEmpty, belowReasons.contains(entry.key), cachingMetaclasses.isEmpty || cachingMetaclasses[entry.key] == nil,
                let base = hierarchy.firstAncestor(of: entry, orSelf: false, where: { reasons[$0.key] != nil && cachingMetaclasses[$0.key] == nil })
            {
                why = ["it derives from the singleton class \(base.fact.qualifiedName)"]
            }
            guard !why.isEmpty else { continue }
            violations.append(
                Violation(
                    location: SourceLocation(path: entry.path, range: entry.fact.range),
                    message: """
                        class '\(entry.fact.qualifiedName)' hands out one shared instance: \(Prose.list(why)); \
                        create instances where their lifetime begins and pass them in
                        """,
                    subject: entry.key))
        }
        return violations
    }

    /// Names under which a Swift type hands out its one instance.
    private static let swiftAccessorNames: Set<String> = ["shared", "sharedInstance", "instance", "default", "current", "standard", "global"]

    /// Swift: the `static` properties of a class or actor, named as accessors, that hold an instance of the type
    /// itself.
    private static func swiftSharedInstances(_ fact: ClassFact, in file: FileFacts) -> [String] {
        guard file.language == .swift, fact.kind == .class || fact.kind == .actor else { return [] }
        let selfNames: Set<String> = [fact.name, fact.qualifiedName, "Self"]
        return file.classAttributes.filter { attribute in
            guard attribute.className == fact.qualifiedName, swiftAccessorNames.contains(attribute.name),
                case .call(let callee) = attribute.value
            else { return false }
            return selfNames.contains(callee)
        }.map { "its static property '\($0.name)' holds the one instance" }
    }

    /// Whether a base or metaclass name says it makes singletons: `Singleton`, `SingletonMixin`,
    /// `SingletonMeta`, `BaseSingleton`; not `SingletonThreadPool`.
    private static func isSingletonName(_ dotted: String) -> Bool {
        // A byte search first: nearly no base names it, and `String.contains` costs thousands of instructions.
        guard PythonShapes.contains("Singleton", in: dotted) else { return false }
        let name = PythonShapes.lastComponent(dotted).drop { $0 == "_" }
        for prefix in ["", "Base", "Abstract", "ThreadSafe"] where name.hasPrefix(prefix + "Singleton") {
            let rest = name.dropFirst(prefix.count + "Singleton".count)
            if ["", "Mixin", "Base", "Meta", "Metaclass", "MetaClass", "Type", "Class", "Object"].contains(String(rest)) { return true }
        }
        return false
    }

    /// The `metaclass=` keyword's value, or the argument of a `six.add_metaclass(...)` decorator, if any.
    private static func metaclass(of fact: ClassFact) -> String? {
        for keyword in fact.keywords {
            let parts = keyword.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "metaclass" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        for decorator in fact.decorators where PythonShapes.lastComponent(decorator) == "add_metaclass" {
            guard let open = decorator.firstIndex(of: "("), decorator.hasSuffix(")") else { continue }
            return decorator[decorator.index(after: open)..<decorator.index(before: decorator.endIndex)]
                .trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Whether an attribute name says it holds the one instance: `_instance`, `__instance`, `_instances`,
    /// `_singleton`, `_shared_instance`.
    private static func isInstanceHolder(_ name: String) -> Bool {
        let bare = name.drop { $0 == "_" }
        for prefix in ["", "the_", "shared_", "default_", "singleton_", "global_"] where bare.hasPrefix(prefix) {
            if ["instance", "instances", "singleton", "singletons"].contains(String(bare.dropFirst(prefix.count))) { return true }
        }
        return false
    }

    /// Why `fact`'s own `__new__` or accessor methods hand out a cached instance, one reason per method.
    /// `accessors` are the offsets of the file's functions named `__new__` or as an accessor.
    private static func accessorReasons(_ fact: ClassFact, in file: FileFacts, among accessors: [Int]) -> [String] {
        var reasons: [String] = []
        let functions = file.functions
        for k in accessors where functions[k].className == fact.qualifiedName {
            let method = functions[k]
            let isClassLevel = method.decorators.contains { ["classmethod", "staticmethod"].contains(PythonShapes.lastComponent($0)) }
            guard method.name == "__new__" || (isAccessorName(method.name) && isClassLevel) else { continue }
            let staticMethod = method.decorators.contains { PythonShapes.lastComponent($0) == "staticmethod" }
            let receivers = [fact.name] + (staticMethod ? [] : method.parameters.prefix(1))
            let returned = method.returns.lazy.flatMap { text in
                receivers.lazy.flatMap { receiver in
                    attributes(of: receiver, in: text).filter(isInstanceHolder).map { "\(receiver).\($0)" }
                }
            }
            if let holder = returned.first { reasons.append("\(method.name)() returns \(holder)") }
        }
        return reasons
    }

    /// The attributes `text` reads from `receiver` as a whole name: `_instance` in `cast(T, cls._instance)`,
    /// nothing in `x_cls._instance`.
    static func attributes(of receiver: String, in text: String) -> [String] {
        names(startingWith: "\(receiver).", in: text).compactMap { $0.isEmpty ? nil : String($0) }
    }

    /// Whether `text` mentions the name `target` as a whole (not in `x_cls._instance` nor `cls._instance2`).
    static func references(_ text: String, _ target: String) -> Bool {
        names(startingWith: target, in: text).contains { $0.isEmpty }
    }

    /// For each place `prefix` starts a name in `text` (not preceded by a name character or a dot), the
    /// identifier characters that follow it.
    private static func names(startingWith prefix: String, in text: String) -> [Substring] {
        let isNameCharacter = { (c: Character) in c.isLetter || c.isNumber || c == "_" }
        var found: [Substring] = []
        var searchStart = text.startIndex
        while let match = text.range(of: prefix, range: searchStart..<text.endIndex) {
            searchStart = match.upperBound
            if match.lowerBound > text.startIndex {
                let before = text[text.index(before: match.lowerBound)]
                if isNameCharacter(before) || before == "." { continue }
            }
            found.append(text[match.upperBound...].prefix(while: isNameCharacter))
        }
        return found
    }

    /// What a metaclass's `__call__` returns its cached instances from (`cls._instances`), or nil when
    /// `fact` is not a metaclass or its `__call__` does not cache.
    private static func metaclassCaching(_ fact: ClassFact, in file: FileFacts) -> String? {
        guard fact.bases.contains(where: isMetaclassBase) else { return nil }
        for method in file.functions where method.className == fact.qualifiedName && method.name == "__call__" {
            guard let receiver = method.parameters.first else { continue }
            let stored = file.memberMutations.filter {
                $0.className == fact.qualifiedName && $0.method == method.name && $0.receiver == receiver
            }.map { "\(receiver).\($0.attribute)" }
            let global = file.mutations.filter { $0.function == method.qualifiedName }.map(\.name)
            for text in method.returns {
                if let holder = (stored + global).first(where: { references(text, $0) }) { return holder }
            }
        }
        return nil
    }

    private static func isMetaclassBase(_ base: String) -> Bool {
        let name = PythonShapes.lastComponent(base)
        return name == "type" || name.hasSuffix("Meta") || name.hasSuffix("Metaclass") || name.hasSuffix("MetaClass")
    }
}
