import CanonCore

/// Reports a function that changes module state: it rebinds a module variable through `global`, or mutates a
/// module-level container (`X[k] = v`, `del X[k]`, `X.append(...)`, `X.update(...)`).
public struct GlobalStateMutationDetector: Detector {
    public static let description = RuleDescription(
        id: "global_state_mutation",
        code: "SGL002",
        family: .singletons,
        summary: "A function rebinds a module variable through 'global' or mutates a module-level container",
        rationale: """
            A module is loaded once per process, so a module variable a function changes is state every \
            caller shares: one request's data shows up in the next, threads race on it, and tests pass or fail \
            by the order they run in. Keep the state in an object whose lifetime you control (per request, per \
            application) and pass it to the functions that need it. A function that only reads a module \
            variable, or that mutates a local of the same name, is not reported; a placeholder filled in \
            lazily (`_x = None` ... `global _x`) is `lazy_global_singleton`'s finding. In Swift, where any \
            code may assign a variable it can see, every file-scope `var` and stored `static var` is reported \
            at its declaration (a `@TaskLocal` is per task, and is not; nor are the variables of top-level code \
            in `main.swift`, a playground or `Package.swift`).
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(files: [
                ExampleFile(
                    "Sources/App/Registry.swift",
                    """
                    ↓nonisolated(unsafe) var handlers: [String] = []

                    enum Metrics {
                        ↓static var requests = 0
                        static let name = "metrics"
                    }
                    """)
            ]),
            Example(
                """
                _handlers = []
                _by_name = {}
                _calls = 0


                def register(handler):
                    ↓_handlers.append(handler)
                    ↓_by_name[handler.name] = handler


                def forget(name):
                    del ↓_by_name[name]


                def reset():
                    global _by_name
                    ↓_by_name = {}


                def bump():
                    global _calls
                    ↓_calls += 1
                    return _calls
                """),
            Example(files: [
                ExampleFile("app/registry.py", "from collections import defaultdict\n\nLISTENERS = defaultdict(list)\n"),
                ExampleFile(
                    "app/events.py",
                    """
                    from app.registry import LISTENERS


                    class Bus:
                        def subscribe(self, topic, listener):
                            ↓LISTENERS.setdefault(topic, []).append(listener)
                    """),
            ]),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile(
                    "Sources/App/Settings.swift",
                    """
                    let defaultPort = 8080

                    struct Settings {
                        var port = defaultPort
                        static var derived: Int { defaultPort + 1 }
                        @TaskLocal static var requestID: String?
                        func run() {
                            var attempts = 0
                            attempts += 1
                        }
                    }
                    """),
                ExampleFile("Sources/tool/main.swift", "var arguments = CommandLine.arguments\narguments.removeFirst()\n"),
            ]),
            Example(
                """
                _handlers = []
                _calls = 0
                _client = None

                _handlers.append(print)


                def handlers():
                    global _handlers
                    return list(_handlers)


                def register(handler, _handlers=None):
                    _handlers = _handlers or []
                    _handlers.append(handler)


                def collect():
                    _calls = []
                    _calls.append(1)
                    return _calls


                def outer():
                    _handlers = {}

                    def inner(key):
                        _handlers[key] = True

                    return inner


                def client():
                    global _client
                    if _client is None:
                        _client = object()
                    return _client
                """),
            Example(files: [
                ExampleFile("app/settings.py", "NAMES = ('a', 'b')\n"),
                ExampleFile(
                    "app/use.py",
                    "from app.settings import NAMES\nfrom os import environ\n\n\ndef f():\n    NAMES.count('a')\n    environ['X'] = '1'\n"),
            ]),
        ])

    /// A mutation is judged by its file and by the `from` imports its name came through.
    public static var judgesThroughImports: Bool { true }

    public init(options: NoOptions) {}

    public func detect(in context: DetectionContext) -> [Violation] {
        var violations: [Violation] = []
        for file in context.index.reportedModuleFiles {
            if file.language == .swift {
                violations += Self.swiftGlobals(in: file)
                continue
            }
            var sites: [SiteKey: (range: SourceRange, what: String)] = [:]
            func note(_ key: SiteKey, _ range: SourceRange, _ what: String) {
                if let existing = sites[key], existing.range < range { return }
                sites[key] = (range, what)
            }
            let functions = PythonShapes.functionsByName(file)
            // Placeholders only excuse `global` rebindings, which most files have none of.
            let placeholders = PythonShapes.hasGlobalStatement(file) ? PythonShapes.lazyPlaceholders(in: file, functions: functions) : [:]
            // By index, so that the many functions with no `global` statement are not copied.
            let definitions = file.functions
            for k in definitions.indices where !definitions[k].globals.isEmpty {
                let function = definitions[k]
                for name in Set(function.globals.map(\.name)) where placeholders[name] == nil {
                    guard let site = function.assignedNames.first(where: { $0.name == name }) else { continue }
                    note(SiteKey(function: function.qualifiedName, name: name), site.range, "rebinds module variable '\(name)' through 'global'")
                }
            }
            for mutation in file.mutations {
                guard let function = mutation.function,
                    PythonShapes.refersToModuleName(mutation.name, in: function, of: file, functions: functions),
                    let origin = Self.moduleContainer(named: mutation.name, in: file, index: context.index)
                else { continue }
                let owner = origin == file.module ? "" : " (from \(origin))"
                note(
                    SiteKey(function: function, name: mutation.name), mutation.range,
                    "\(Self.verb(mutation.kind)) module-level container '\(mutation.name)'\(owner)")
            }
            for (key, site) in sites {
                violations.append(
                    Violation(
                        location: SourceLocation(path: file.path, range: site.range),
                        message: """
                            \(key.function)() \(site.what): state shared by every caller; keep it in an object \
                            whose lifetime you control and pass it in
                            """,
                        subject: "\(file.module).\(key.function):\(key.name)"))
            }
        }
        return violations
    }

    /// Swift's file-scope `var`s and stored `static var`s: any code that sees them may assign them.
    private static func swiftGlobals(in file: FileFacts) -> [Violation] {
        let topLevelCode = ["main.swift", "Package.swift"].contains(file.path.split(separator: "/").last.map(String.init) ?? "")
            || file.path.contains(".playground/")
        let globals = file.assignments.filter { !$0.isConstant && !topLevelCode }.map {
            (name: $0.name, range: $0.statementRange, what: "global variable")
        }
        let statics = file.classAttributes.filter { !$0.isConstant }.map {
            (name: "\($0.className).\($0.name)", range: $0.range, what: "static variable")
        }
        return (globals + statics).map { site in
            Violation(
                location: SourceLocation(path: file.path, range: site.range),
                message: """
                    \(site.what) '\(site.name)' is state shared by every caller; keep it in an object whose lifetime \
                    you control and pass it in
                    """,
                subject: "\(file.module).\(site.name)")
        }
    }

    private struct SiteKey: Hashable {
        var function: String
        var name: String
    }

    /// The module whose module-level mutable container `name` (as seen from `file`) is, following
    /// `from m import name` through the project; nil when it is not such a container.
    private static func moduleContainer(named name: String, in file: FileFacts, index: ProjectIndex) -> String? {
        let local = file.assignments.filter { $0.name == name && !$0.isAugmented }
        if !local.isEmpty {
            return local.contains { PythonShapes.isMutableContainer($0.value) } ? file.module : nil
        }
        var module = file.module
        var symbol = name
        for _ in 0..<8 {
            switch index.binding(of: symbol, in: module) {
            case .assignment(let assignment):
                return PythonShapes.isMutableContainer(assignment.value) ? module : nil
            case .importAlias(let fact) where fact.form == .from:
                guard let imported = fact.name, index.contains(module: fact.module) else { return nil }
                module = fact.module
                symbol = imported
            default:
                return nil
            }
        }
        return nil
    }

    private static func verb(_ kind: MutationKind) -> String {
        switch kind {
        case .subscriptAssign: "assigns an item of"
        case .subscriptDelete: "deletes an item of"
        case .augmentedAssign: "updates"
        case .methodCall(let method): "calls .\(method)() on"
        case .rebind: "rebinds"
        }
    }
}
