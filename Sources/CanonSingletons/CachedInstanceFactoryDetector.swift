import CanonCore

/// Reports `@lru_cache`/`@cache` on a function without parameters that returns a new object: the first call's
/// object is handed to every later caller, a singleton in disguise.
public struct CachedInstanceFactoryDetector: Detector {
    public static let description = RuleDescription(
        id: "cached_instance_factory",
        code: "SGL005",
        family: .singletons,
        summary: "A cached function without parameters returns one shared object",
        rationale: """
            `@lru_cache` (or `@cache`) on `def get_client(): return Client()` makes one `Client` for the whole \
            process: it is a singleton in disguise, with the same leaks between requests, threads and tests, and \
            `cache_clear()` as the only way to reset it. Reported when the function takes no parameters (or \
            only `cls` in a class method) and returns an instantiation: a call of a class (`Client()`, \
            `zoneinfo.ZoneInfo(...)`, `Factory.create()`), of `cls` or a `*_class` variable, or of a call's \
            result (`import_string(path)()`). Cached functions with parameters memoize per argument and \
            cached functions returning plain values (strings, flags, paths' text) are not reported. Create the \
            object where its lifetime begins and pass it in.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(
                """
                import functools
                from functools import cache, lru_cache


                @lru_cache
                ↓def get_settings():
                    return Settings()


                @functools.lru_cache(maxsize=None)
                ↓def get_client():
                    return http.Client(timeout=10)


                @cache
                ↓def get_renderer():
                    renderer_class = import_string("app.Renderer")
                    return renderer_class()


                class Session:
                    @classmethod
                    @functools.cache
                    ↓def shared(cls):
                        return cls()
                """),
        ],
        nonTriggeringExamples: [
            Example(
                """
                import functools
                import os
                from functools import lru_cache


                @lru_cache(maxsize=128)
                def get_client(region):
                    return Client(region)


                @functools.cache
                def platform_name():
                    return os.uname().sysname.lower()


                @lru_cache
                def debug_enabled():
                    return os.environ.get("DEBUG") == "1"


                def get_settings():
                    return Settings()


                class Model:
                    @functools.lru_cache
                    def related(self):
                        return Related(self)
                """),
        ])

    /// A factory is judged by its file and by what the names it calls resolve to.
    public static var judgesThroughImports: Bool { true }

    public init(options: NoOptions) {}

    public func detect(in context: DetectionContext) -> [Violation] {
        let names = context.derived(ProjectNames.self)
        var violations: [Violation] = []
        for file in context.index.reportedModuleFiles {
            // By index, so that the many functions with no decorator are not copied; through a copy of the list
            // (`FileFacts.functions` is computed), read once.
            let functions = file.functions
            for k in functions.indices where !functions[k].decorators.isEmpty {
                let function = functions[k]
                guard let decorator = function.decorators.first(where: Self.isCacheDecorator),
                    Self.takesNoArguments(function),
                    let returned = function.returns.first(where: { Self.isInstantiation($0, in: file.module, names: names) })
                else { continue }
                violations.append(
                    Violation(
                        location: SourceLocation(path: file.path, range: function.range),
                        message: """
                            \(function.qualifiedName)() is cached with no parameters (@\(decorator)) and returns \
                            \(returned): one object for the whole process, a singleton in disguise; create it where \
                            its lifetime begins and pass it in
                            """,
                        subject: "\(file.module).\(function.qualifiedName)"))
            }
        }
        return violations
    }

    /// `lru_cache`, `lru_cache(...)`, `functools.lru_cache(...)`, `cache`, `functools.cache`.
    private static func isCacheDecorator(_ text: String) -> Bool {
        let callee = text[..<(text.firstIndex(ofASCII: UInt8(ascii: "(")) ?? text.endIndex)]
        let parts = DottedName.parts(of: callee)
        guard let last = parts.last else { return false }
        if last == "lru_cache" { return true }
        return last == "cache" && (parts.count == 1 || parts.dropLast().joined(separator: ".") == "functools")
    }

    /// No parameters at all, or only the class in a class method.
    private static func takesNoArguments(_ function: FunctionFact) -> Bool {
        if function.parameters.isEmpty { return true }
        let isClassMethod = function.decorators.contains { PythonShapes.lastComponent($0) == "classmethod" }
        return isClassMethod && function.parameters.count == 1
    }

    /// Whether a returned expression is, as a whole, a call that makes an object.
    static func isInstantiation(_ text: String, in module: String, names: ProjectNames) -> Bool {
        guard let call = Call(text) else { return false }
        if call.callsResult { return true }
        let parts = DottedName.parts(of: call.callee).map(String.init)
        guard let last = parts.last, !(last.hasPrefix("__") && last.hasSuffix("__")) else { return false }
        if last == "cls" || last == "klass" || last.hasSuffix("_class") || last.hasSuffix("_cls") || last.hasSuffix("Class") { return true }
        if parts.contains(where: isClassLikeName) { return true }
        if case .projectClass = names.resolve(call.callee, in: module) { return true }
        return false
    }

    /// `ZoneInfo`, `Client`: a capital first, a lower-case letter somewhere, not a dunder; not `CONFIG`.
    private static func isClassLikeName(_ name: String) -> Bool {
        guard let first = name.first, first.isUppercase else { return false }
        return name.contains { $0.isLowercase }
    }

    /// An expression that is one call of a dotted name (`a.B(x)`), or a call of that call's result
    /// (`f(x)()`), with nothing after it.
    private struct Call {
        var callee: String
        var callsResult: Bool

        init?(_ text: String) {
            let scalars = Array(text.unicodeScalars)
            var index = 0
            while index < scalars.count, scalars[index] == "_" || scalars[index] == "." || scalars[index].properties.isAlphabetic
                || ("0"..."9").contains(scalars[index])
            {
                index += 1
            }
            guard index > 0, index < scalars.count, scalars[index] == "(" else { return nil }
            callee = String(String.UnicodeScalarView(scalars[..<index]))
            var groups = 0
            while index < scalars.count {
                guard scalars[index] == "(", let close = Self.closing(scalars, from: index) else { return nil }
                groups += 1
                index = close + 1
            }
            callsResult = groups > 1
        }

        /// The index of the parenthesis closing the one at `start`, skipping strings and nested brackets.
        private static func closing(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
            var depth = 0
            var quote: Unicode.Scalar?
            var index = start
            while index < scalars.count {
                let scalar = scalars[index]
                if let open = quote {
                    if scalar == "\\" { index += 1 } else if scalar == open { quote = nil }
                } else if scalar == "'" || scalar == "\"" {
                    quote = scalar
                } else if "([{".unicodeScalars.contains(scalar) {
                    depth += 1
                } else if ")]}".unicodeScalars.contains(scalar) {
                    depth -= 1
                    if depth == 0 { return scalar == ")" ? index : nil }
                }
                index += 1
            }
            return nil
        }
    }
}
