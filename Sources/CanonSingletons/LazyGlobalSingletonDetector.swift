import CanonCore

/// Reports a module-level placeholder (`_client = None`) that a function fills in through `global`: the
/// `get_client()` lazy singleton, one object for the whole process.
public struct LazyGlobalSingletonDetector: Detector {
    public static let description = RuleDescription(
        id: "lazy_global_singleton",
        code: "SGL001",
        family: .singletons,
        summary: "A module-level name starts as None or empty and a function rebinds it through 'global'",
        rationale: """
            `_client = None` at module level and a `get_client()` that does `global _client` and fills it in on \
            first call is a process-wide singleton: every request, thread and test shares the one object, \
            whatever state it gathers leaks between them, and tests must reset the module to isolate \
            themselves. Create the object where its lifetime begins (per request, per application) and pass it \
            in, or hold it in an object the caller owns. An empty container that functions fill in place is a \
            module-level cache, not a placeholder: `global_state_mutation` reports it.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(
                """
                ↓_manager = None


                def get_manager():
                    global _manager
                    if _manager is None:
                        _manager = ConnectionManager()
                    return _manager
                """),
            Example(
                """
                from typing import Optional

                ↓_client: Optional["Client"] = None
                ↓_registry = {}


                def client():
                    global _client
                    if _client is None:
                        _client = Client()
                    return _client


                def reset():
                    global _client, _registry
                    _client = None
                    _registry = {}
                """),
        ],
        nonTriggeringExamples: [
            Example(
                """
                _manager = None


                def describe():
                    global _manager
                    return f"manager: {_manager!r}"
                """),
            Example(
                """
                _manager = None


                def make_manager():
                    _manager = ConnectionManager()
                    return _manager


                class Holder:
                    _manager = None

                    def get(self):
                        if self._manager is None:
                            self._manager = ConnectionManager()
                        return self._manager
                """),
            Example(
                """
                _cache = {}


                def lookup(key):
                    if key not in _cache:
                        _cache[key] = compute(key)
                    return _cache[key]


                def reset():
                    global _cache
                    _cache = {}
                """),
            Example(
                """
                def get_manager():
                    global _manager
                    _manager = ConnectionManager()
                    return _manager


                def outer():
                    cache = None

                    def inner():
                        nonlocal cache
                        cache = load()
                        return cache

                    return inner
                """),
        ])

    /// A file's own facts decide.
    public static var judgesThroughImports: Bool { true }

    public init(options: NoOptions) {}

    public func detect(in context: DetectionContext) -> [Violation] {
        var violations: [Violation] = []
        // Only a function's `global` statement can fill a placeholder, and most files have none.
        for file in context.index.reportedModuleFiles where PythonShapes.hasGlobalStatement(file) {
            for (name, assignment) in PythonShapes.lazyPlaceholders(in: file) {
                let rebinders = PythonShapes.globalRebinders(of: name, in: file)
                guard !rebinders.isEmpty else { continue }
                let names = rebinders.map { "\($0.function.qualifiedName)()" }
                violations.append(
                    Violation(
                        location: SourceLocation(path: file.path, range: assignment.range),
                        message: """
                            module-level '\(name)' starts empty and \(Prose.list(names)) \
                            \(rebinders.count == 1 ? "rebinds" : "rebind") it through 'global': a lazy singleton, \
                            one value for the whole process; create it where its lifetime begins and pass it in
                            """,
                        subject: "\(file.module).\(name)",
                        related: rebinders.map {
                            RelatedLocation(
                                location: SourceLocation(path: file.path, range: $0.site.range),
                                message: "\($0.function.qualifiedName)() rebinds '\(name)'")
                        }))
            }
        }
        return violations
    }
}
