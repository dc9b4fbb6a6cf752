import CanonCore
import Foundation

/// Reports a module-level assignment that creates an instance of a project class, or of a class named like a
/// manager, service, client or cache: one object created at import and shared by every importer.
public struct ModuleInstanceDetector: Detector {
    public struct Options: DetectorOptions {
        /// Regular expressions; a class from outside the project is reported when its name matches one in full.
        public var patterns = [".*(Manager|Service|Factory|Registry|Client|Pool|Cache|Store|Monitor|Coordinator)$"]
        /// Regular expressions; a class whose name (as written, simple or qualified) matches one in full is
        /// never reported.
        public var allow: [String] = []

        public init() {}
    }

    public static let description = RuleDescription(
        id: "module_instance",
        code: "SGL003",
        family: .singletons,
        summary: "A module-level name is bound to an instance of a project class or of a manager-like class",
        rationale: """
            `manager = ConnectionManager()` at module level runs at import and hands the same object to every \
            importer for the life of the process: whatever it caches or holds for one user is there for the \
            next, and tests cannot get a fresh one. Create the instance where its lifetime begins (per request, \
            per application, in a factory the caller owns) and pass it in. Reported: calls of classes defined \
            in the project, and of outside classes whose name matches `patterns`. Never reported: ALL_CAPS \
            constants and dunder names, locks, events, semaphores, thread locals, `TypeVar`/`ParamSpec`/\
            `NewType`, `ContextVar`, loggers, enums, named tuples and typed dicts, and classes matching `allow`.
            """,
        defaultSeverity: .warning,
        options: [
            OptionDescription("patterns", "regular expressions; outside classes whose name matches one in full are reported"),
            OptionDescription("allow", "regular expressions; classes whose name (as written, simple or qualified) matches one in full are not reported"),
        ],
        triggeringExamples: [
            Example(files: [
                ExampleFile("app/ws.py", "class WebSocketManager:\n    def __init__(self):\n        self.connections = {}\n"),
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
                class _Registry:
                    def __init__(self):
                        self.items = {}


                Registry = _Registry
                ↓registry = Registry()
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


                    DEFAULT_MANAGER = WebSocketManager()
                    logger = logging.getLogger(__name__)
                    _lock = threading.RLock()
                    request_id = ContextVar("request_id")
                    T = TypeVar("T")
                    red = Color(1)
                    origin = Point(0)
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

    private let patterns: [NSRegularExpression]
    private let allow: [NSRegularExpression]

    public init(options: Options) {
        patterns = options.patterns.compactMap { try? NSRegularExpression(pattern: "^(?:\($0))$") }
        allow = options.allow.compactMap { try? NSRegularExpression(pattern: "^(?:\($0))$") }
    }

    /// Outside names (last component) and project base classes whose instances are never reported.
    static let exemptKinds: Set<String> = [
        "Lock", "RLock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier", "local",
        "TypeVar", "ParamSpec", "TypeVarTuple", "NewType", "ContextVar",
        "getLogger", "get_logger", "getLoggerClass", "Logger", "LoggerAdapter",
        "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "EnumMeta", "EnumType",
        "namedtuple", "NamedTuple", "TypedDict",
    ]

    public func detect(in context: DetectionContext) -> [Violation] {
        let names = ProjectNames(index: context.index)
        var violations: [Violation] = []
        for file in context.index.moduleFiles {
            for assignment in file.assignments where !assignment.isAugmented {
                guard case .call(let callee) = assignment.value,
                    !PythonShapes.isConstantName(assignment.name),
                    !(assignment.name.hasPrefix("__") && assignment.name.hasSuffix("__")),
                    let className = instanceClass(of: callee, in: file.module, names: names)
                else { continue }
                violations.append(
                    Violation(
                        location: SourceLocation(path: file.path, range: assignment.range),
                        message: """
                            module-level '\(assignment.name)' is one \(className) instance created at import and \
                            shared by every importer; create it where its lifetime begins and pass it in
                            """,
                        subject: "\(file.module).\(assignment.name)"))
            }
        }
        return violations
    }

    /// The qualified name of the class `callee` instantiates, when that call is reported.
    private func instanceClass(of callee: String, in module: String, names: ProjectNames) -> String? {
        let simple = PythonShapes.lastComponent(callee)
        guard !Self.exemptKinds.contains(simple) else { return nil }
        var resolved = names.resolve(callee, in: module)
        if resolved == .unknown, !callee.contains("."), let only = names.projectClasses(named: callee).first {
            resolved = .projectClass(module: only.module, only.fact)
        }
        let candidates = [callee, simple] + (resolved.qualifiedName.map { [$0, PythonShapes.lastComponent($0)] } ?? [])
        if candidates.contains(where: { Self.matches($0, allow) }) { return nil }
        switch resolved {
        case .projectClass(_, let fact):
            guard !fact.bases.contains(where: { Self.exemptKinds.contains(PythonShapes.lastComponent($0)) }) else { return nil }
            return resolved.qualifiedName
        case .external(let dotted):
            let name = PythonShapes.lastComponent(dotted)
            guard !Self.exemptKinds.contains(name), Self.matches(name, patterns) else { return nil }
            return dotted
        case .unknown:
            return Self.matches(simple, patterns) ? callee : nil
        case .projectModule, .projectValue:
            return nil
        }
    }

    private static func matches(_ text: String, _ expressions: [NSRegularExpression]) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return expressions.contains { $0.firstMatch(in: text, range: range) != nil }
    }
}
