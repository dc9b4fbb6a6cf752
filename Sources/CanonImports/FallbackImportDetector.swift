import CanonCore

/// Reports `try: from a import X` / `except ImportError: from b import X` where both modules are in the
/// project: two import paths kept alive on purpose.
public struct FallbackImportDetector: Detector {
    public static let description = RuleDescription(
        id: "fallback_import",
        code: "IMP002",
        family: .imports,
        summary: "A name is imported from one project module, falling back to another on ImportError",
        rationale: """
            A fallback between two of the project's own modules keeps both paths alive: a half-finished move \
            (new home first, old home as a safety net) or a compatibility layer nobody removes. Both modules \
            are in the tree, so the fallback never serves its purpose; it only hides which one is real. Import \
            from the module that holds the name and delete the other branch. Fallbacks to a module outside the \
            project (an optional dependency) or to a module that is not Python source here (a compiled \
            accelerator) are left alone.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(files: [
                ExampleFile("app/new/clock.py", "class Clock:\n    pass\n"),
                ExampleFile("app/old/clock.py", "class Clock:\n    pass\n"),
                ExampleFile(
                    "app/main.py",
                    "try:\n    from app.new.clock import Clock\nexcept ImportError:\n    from app.old.clock import ↓Clock\n"),
            ]),
            Example(files: [
                ExampleFile("app/fast.py", "def run():\n    pass\n"),
                ExampleFile("app/slow.py", "def run():\n    pass\n"),
                ExampleFile(
                    "app/main.py", "try:\n    import app.fast as engine\nexcept ModuleNotFoundError:\n    import ↓app.slow as engine\n"),
            ]),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile("app/util.py", "def loads(text):\n    pass\n"),
                ExampleFile(
                    "app/main.py", "try:\n    from ujson import loads\nexcept ImportError:\n    from app.util import loads\n"),
            ]),
            Example(files: [
                ExampleFile("app/_py_impl.py", "def run():\n    pass\n"),
                ExampleFile(
                    "app/main.py",
                    "try:\n    from app._c_impl import run\nexcept ImportError:\n    from app._py_impl import run\n"),
            ]),
            Example(files: [
                ExampleFile("app/a.py", "X = 1\nY = 2\n"),
                ExampleFile("app/main.py", "try:\n    from app.a import X\nexcept ImportError:\n    from app.a import Y as X\n"),
            ]),
        ])

    /// A file's own imports decide, with which modules exist.
    public static var judgesThroughImports: Bool { true }

    public init(options: NoOptions) {}

    public func detect(in context: DetectionContext) -> [Violation] {
        let index = context.index
        var violations: [Violation] = []
        for file in index.reportedModuleFiles {
            var byName: [String: [ImportFact]] = [:]
            // By index: a `for` over the imports copied each one out, every string retained, to read its kind.
            for k in file.imports.indices where file.imports[k].kind == .fallback {
                guard let bound = file.imports[k].boundName else { continue }
                byName[bound, default: []].append(file.imports[k])
            }
            for (name, facts) in byName where facts.count > 1 {
                let ordered = facts.sorted { $0.range < $1.range }
                var kept: [ImportFact] = []
                for fact in ordered {
                    let target = fact.module
                    guard index.contains(module: target) else { continue }
                    if let first = kept.first(where: { $0.module != target }) {
                        violations.append(
                            Violation(
                                location: SourceLocation(path: file.path, range: fact.range),
                                message: "'\(name)' falls back to \(target) when \(first.module) cannot be imported; "
                                    + "both are modules of the project, so keep the import from the one that holds it and delete the other",
                                subject: "\(file.module).\(name)",
                                related: [
                                    RelatedLocation(
                                        location: SourceLocation(path: file.path, range: first.range),
                                        message: "first tried from \(first.module) here")
                                ]))
                    }
                    kept.append(fact)
                }
            }
        }
        return violations
    }
}
