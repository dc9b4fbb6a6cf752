import CanonCore

/// Reports imports of modules or symbols that the policy marks deprecated, and of modules that deprecate
/// themselves: a module-level `DeprecationWarning` on import, or a PEP 562 `__getattr__` that warns.
public struct DeprecatedImportDetector: Detector {
    public static let description = RuleDescription(
        id: "deprecated_import",
        code: "DEP001",
        family: .deprecations,
        summary: "An import goes through a deprecated module or takes a deprecated symbol",
        rationale: """
            A deprecated module that everyone still imports is a second home that never goes away: the shim \
            re-exports the real thing, warnings are filtered, and the old path spreads by copy and paste. Canon \
            reports each import of a module the policy lists under `deprecated:` (the whole module, or only its \
            `symbols`), and of a module that deprecates itself: a module-level `warnings.warn(..., \
            DeprecationWarning)` or `PendingDeprecationWarning`, or a project warning class derived from them \
            (directly or through one module-level call of a local function), or a module-level call of one of \
            the policy's `deprecation_functions` (a project's own helper, like SymPy's \
            `sympy_deprecation_warning`), or a PEP 562 `__getattr__` that warns, for names it does not bind. Importing a \
            submodule runs every package `__init__` above it, so a shim package taints its submodules. The \
            message names the replacement where the policy's `use` or the shim's own re-export tells it. Imports \
            under `TYPE_CHECKING` never run the shim: they are reported as notes, whatever the severity. A \
            deprecated package's own modules importing each other are not reported. `canon fix` rewrites `from` \
            imports to the replacement when it binds the same object.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/old.py", "from app.new import Thing\n"),
                    ExampleFile("app/new.py", "class Thing:\n    pass\n"),
                    ExampleFile("app/users.py", "from app.old import ↓Thing\nimport ↓app.old as legacy\n"),
                ],
                policy: """
                    deprecated:
                      - module: app.old
                        use: app.new
                        message: "moved in 2.0"
                    """),
            Example(files: [
                ExampleFile(
                    "app/compat/__init__.py",
                    "import warnings\n\nwarnings.warn(\"app.compat is deprecated\", DeprecationWarning)\n\nfrom app.core import Engine\n"),
                ExampleFile("app/compat/extra.py", "VALUE = 1\n"),
                ExampleFile("app/core.py", "class Engine:\n    pass\n"),
                ExampleFile(
                    "app/users.py",
                    "from typing import TYPE_CHECKING\n\nfrom app.compat import ↓Engine\nfrom app.compat.extra import ↓VALUE\n\nif TYPE_CHECKING:\n    import ↓app.compat\n"),
            ]),
            Example(files: [
                ExampleFile(
                    "app/deprecation.py",
                    "class RemovedInApp3Warning(DeprecationWarning):\n    pass\n\n\nRemovedInNextVersionWarning = RemovedInApp3Warning\n"),
                ExampleFile(
                    "app/legacy.py",
                    "import warnings\n\nfrom app.deprecation import RemovedInNextVersionWarning\n\nwarnings.warn(\"app.legacy goes in 3.0\", RemovedInNextVersionWarning)\n\nLIMIT = 10\n"),
                ExampleFile("app/users.py", "from app.legacy import ↓LIMIT\n"),
            ]),
            Example(
                files: [
                    ExampleFile(
                        "app/exceptions.py",
                        "import warnings\n\n\ndef app_deprecation(message):\n    warnings.warn(message, DeprecationWarning, stacklevel=3)\n"),
                    ExampleFile(
                        "app/oldtools.py",
                        "from app.exceptions import app_deprecation\n\napp_deprecation(\"app.oldtools is deprecated; use app.tools\")\n\nfrom app.tools import *  # noqa\n"),
                    ExampleFile("app/tools.py", "def helper():\n    pass\n"),
                    ExampleFile("app/users.py", "from app.oldtools import ↓helper\n"),
                ],
                policy: """
                    deprecation_functions: [app.exceptions.app_deprecation]
                    """),
            Example(files: [
                ExampleFile(
                    "app/models.py",
                    "import warnings\n\n\nclass Current:\n    pass\n\n\ndef __getattr__(name):\n    warnings.warn(f\"{name} is gone\", DeprecationWarning)\n    return Current\n"),
                ExampleFile("app/users.py", "from app.models import Current, ↓Legacy\n"),
            ]),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile("app/slow.py", "class SlowWarning(UserWarning):\n    pass\n"),
                ExampleFile(
                    "app/heavy.py",
                    "import warnings\n\nfrom app.slow import SlowWarning\n\nwarnings.warn(\"importing app.heavy is slow\", SlowWarning)\nwarnings.warn(\"and noisy\", RuntimeWarning)\n\nLIMIT = 10\n"),
                ExampleFile("app/users.py", "from app.heavy import LIMIT\n"),
            ]),
            Example(files: [
                ExampleFile(
                    "app/compat/__init__.py",
                    "import warnings\n\nwarnings.warn(\"app.compat is deprecated\", DeprecationWarning)\n\nfrom app.compat.extra import VALUE\n"),
                ExampleFile("app/compat/extra.py", "VALUE = 1\n"),
                ExampleFile("app/core.py", "import warnings\n\n\ndef old():\n    warnings.warn(\"old() is deprecated\", DeprecationWarning)\n"),
                ExampleFile("app/users.py", "from app.core import old\n"),
            ]),
            Example(
                files: [
                    ExampleFile("app/old.py", "A = 1\nB = 2\n"),
                    ExampleFile("app/users.py", "from app.old import B\nimport app.old\n"),
                ],
                policy: """
                    deprecated:
                      - module: app.old
                        symbols: [A]
                    """),
        ],
        supersedes: ["fragmented_import", "fallback_import"])

    public static var readsSymbolTable: Bool { true }

    public init(options: NoOptions) {}

    /// As `fragmented_import` reads a file (`ProjectIndex.importFactsHash`), with its imports of the modules the
    /// policy deprecates outside the project.
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? {
        context.index.importFactsHash(
            of: file, projectTops: context.derived(), keepingTops: Set(context.settings.deprecated.map { DottedName.top(of: $0.module) }))
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        var violations: [Violation] = []
        var fixes = ImportFixPlanner(context: context)
        var modules: [String: ModuleDeprecation?] = [:]
        let symbols = context.index.symbols
        // Most imports are from packages with no deprecated module at all.
        let tops = context.deprecationTops()
        for file in context.index.reportedModuleFiles {
            let imports = file.imports
            // By index: an import is copied out only when its top-level package has a deprecated module.
            for k in imports.indices where tops.contains(DottedName.top(of: imports[k].module)) {
                let fact = imports[k]
                let name = fact.form == .from && fact.name != "*" ? fact.name : nil
                guard
                    let found = Self.deprecation(
                        of: fact.module, name: name, for: file.module, in: context, symbols: symbols, modules: &modules)
                else { continue }
                let taken = name.map { "'\($0)' from \(fact.module)" } ?? fact.module
                var (reported, replacement) = violation(
                    at: SourceLocation(path: file.path, range: fact.range), taking: taken, target: fact.module, name: name,
                    deprecation: found.deprecation, reached: found.module, kind: fact.kind, context: context)
                reported.fix = Self.fix(for: fact, in: file, replacement: replacement, planner: &fixes)
                violations.append(reported)
            }
        }
        let reportedPaths = context.index.reportedPaths.map { _ in context.index.reportedModuleFiles.map(\.path) }
        for item in symbols.attributeUses(in: reportedPaths) where tops.contains(DottedName.top(of: item.source)) {
            guard !ProjectIndex.isModule(item.module, within: item.source),
                let deprecation = context.deprecation(of: item.source, name: item.name)
            else { continue }
            switch deprecation {
            case .declared(let entry) where !entry.symbols.isEmpty: break
            case .warnsOnAccess: break
            default: continue
            }
            var (reported, replacement) = violation(
                at: item.location, taking: "'\(item.name)' from \(item.source)", target: item.source, name: item.name,
                deprecation: deprecation, reached: item.source, kind: item.kind, context: context)
            reported.fix = fixes.fix(
                path: item.path, importer: item.module, clause: item.range, statement: item.statementRange, source: item.source, name: item.name,
                target: replacement, isAttributeUse: true)
            violations.append(reported)
        }
        return violations
    }

    /// The deprecation an import runs into, and the module it concerns: the module itself (and the name
    /// taken from it), the submodule the name may be, then each package above, deepest first. Modules the
    /// importer is inside are its own business.
    static func deprecation(
        of module: String, name: String?, for importer: String, in context: DetectionContext
    ) -> (deprecation: ModuleDeprecation, module: String)? {
        var modules: [String: ModuleDeprecation?] = [:]
        return deprecation(of: module, name: name, for: importer, in: context, symbols: context.index.symbols, modules: &modules)
    }

    /// `deprecation(of:name:for:in:)` with the deprecations of whole modules kept in `modules` for the next
    /// call: every import of a module asks about the same packages above it. `symbols` is the index's table,
    /// taken once by the caller rather than copied out of the index at every import.
    static func deprecation(
        of module: String, name: String?, for importer: String, in context: DetectionContext, symbols: SymbolTable,
        modules: inout [String: ModuleDeprecation?]
    ) -> (deprecation: ModuleDeprecation, module: String)? {
        func wholeModule(_ candidate: String) -> ModuleDeprecation? {
            if let known = modules[candidate] { return known }
            let found = context.deprecation(of: candidate, name: nil)
            modules[candidate] = .some(found)
            return found
        }
        if !ProjectIndex.isModule(importer, within: module) {
            if let found = name == nil ? wholeModule(module) : context.deprecation(of: module, name: name) { return (found, module) }
        }
        if let name {
            let submodule = DottedName.join(module, name)
            if symbols.contains(module: submodule), !ProjectIndex.isModule(importer, within: submodule),
                let found = wholeModule(submodule)
            {
                return (found, submodule)
            }
        }
        for package in DottedName.packages(of: module) {
            let prefix = String(package)
            if !ProjectIndex.isModule(importer, within: prefix), let found = wholeModule(prefix) { return (found, prefix) }
        }
        return nil
    }

    private func violation(
        at location: SourceLocation, taking taken: String, target: String, name: String?, deprecation: ModuleDeprecation,
        reached: String, kind: ImportKind, context: DetectionContext
    ) -> (violation: Violation, replacement: String?) {
        var message: String
        var related: [RelatedLocation] = []
        var replacement: String?
        switch deprecation {
        case .declared(let entry):
            let what = name.flatMap { entry.symbols.contains($0) ? "'\($0)' of \(entry.module)" : nil } ?? entry.module
            message = "importing \(taken): \(what) is deprecated by the policy"
            if reached != target && ProjectIndex.isModule(target, within: reached) { message += " (\(target) is inside it)" }
            if let text = entry.message { message += " (\(text))" }
            replacement = entry.use
        case .warnsOnImport(let module, let warning):
            let file = context.index.file(forModule: module)
            let runs = module != target && ProjectIndex.isModule(target, within: module)
                ? "importing \(target) runs the __init__ of \(module), which warns \(warning.category)"
                : "\(module) warns \(warning.category) when imported"
            message = "importing \(taken): \(runs)"
            if let text = warning.message { message += " ('\(Self.shortened(text))')" }
            if let file {
                let via = warning.viaFunction.map { ", through \($0)()" } ?? ""
                related.append(RelatedLocation(location: SourceLocation(path: file.path, range: warning.range), message: "the warning\(via)"))
            }
            replacement = name.flatMap { Self.replacement(for: $0, in: target, context: context) }
        case .warnsOnAccess(let module, let getattr):
            message = "importing \(taken): \(module) does not bind it, and its __getattr__ warns DeprecationWarning when it is read"
            if let file = context.index.file(forModule: module) {
                related.append(RelatedLocation(location: SourceLocation(path: file.path, range: getattr.range), message: "the warning __getattr__"))
            }
        }
        if let replacement { message += name == nil ? "; import \(replacement) instead" : "; import it from \(replacement) instead" }
        var severity: Severity?
        if kind == .typeChecking {
            message += "; the import is only for type checking, so it does not run, but it keeps the deprecated path alive"
            severity = .note
        }
        let found = Violation(
            location: location, message: message, subject: name.map { "\(target).\($0)" } ?? target, related: related,
            severityOverride: severity)
        return (found, replacement)
    }

    /// How an import of a deprecated module is fixed: a `from` import takes the name from the replacement
    /// when it binds the same object and is not deprecated itself; plain and star imports are not fixed.
    static func fix(for fact: ImportFact, in file: FileFacts, replacement: String?, planner: inout ImportFixPlanner) -> Fixability {
        guard fact.form == .from, let name = fact.name else { return ImportFixPlanner.plainImport }
        let fix = planner.fix(
            path: file.path, importer: file.module, clause: fact.range, statement: fact.statementRange, source: fact.module, name: name,
            target: replacement, kind: fact.kind)
        if let move = fix.move, deprecation(of: move.target, name: move.targetName, for: file.module, in: planner.context) != nil {
            return .unfixable(reason: "the replacement, \(move.target), is deprecated too")
        }
        return fix
    }

    /// Where a name taken from a shim really lives: the first module after the shim on its resolution chain
    /// (or its definition's module) that is not deprecated itself.
    static func replacement(for name: String, in module: String, context: DetectionContext) -> String? {
        let resolved = context.index.resolve(name, in: module)
        var modules = resolved.chain.map(\.module).filter { $0 != module }
        if let site = resolved.origin.definition { modules.append(site.module) }
        return modules.first { !context.isDeprecated($0) }
    }

    private static func shortened(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 100 ? String(line.prefix(97)) + "..." : line
    }
}
