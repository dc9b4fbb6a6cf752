import CanonCore

/// Reports imports of first-party modules that do not exist, and of names that a project module does not
/// bind: the dangling paths a half-finished consolidation leaves behind.
public struct UnresolvedImportDetector: Detector {
    public struct Options: DetectorOptions {
        /// Which imports are checked, by where they sit. Fallback imports are expected to fail sometimes.
        public var importKinds: [ImportKind] = [.runtime, .typeChecking, .function]

        public init() {}

        enum CodingKeys: String, CodingKey {
            case importKinds = "import_kinds"
        }
    }

    public static let description = RuleDescription(
        id: "unresolved_import",
        code: "IMP003",
        family: .imports,
        summary: "An import names a first-party module that does not exist or a name it does not bind",
        rationale: """
            A module of the project's own packages that is not in the tree, or a name its module no longer \
            binds, is an import that fails at run time, usually on a path nobody tests: what is left when a \
            class moves and one caller is missed. A module is first-party when its top-level package is in the \
            project. Canon counts as bound everything a module defines, imports, assigns, star-imports (through \
            `__all__`) or lists in `__all__`, and its submodules; a module with a PEP 562 `__getattr__` or a \
            star import from outside the project may bind anything, so names taken from it are not checked. \
            Modules that take a name from each other in a cycle, with no definition on it, are reported at \
            each import of the cycle. A module found only deeper in the tree is not reported either: the \
            scan's source roots are not the ones the code imports from (declare them under `roots:`). Fix the \
            import to the name's new home.
            """,
        defaultSeverity: .error,
        options: [
            OptionDescription(
                "import_kinds", "which imports are checked: runtime, type_checking, function, fallback (fallbacks may fail on purpose)")
        ],
        triggeringExamples: [
            Example(files: [
                ExampleFile("app/__init__.py", ""),
                ExampleFile("app/models.py", "class User:\n    pass\n"),
                ExampleFile(
                    "app/views.py", "from app.models import User, ↓Account\nfrom app.schemas import ↓User, Group\nimport ↓app.legacy.models\n"),
            ]),
            Example(files: [
                ExampleFile("app/__init__.py", "from .models import *\n"),
                ExampleFile("app/models.py", "__all__ = ['User']\n\n\nclass User:\n    pass\n\n\nclass _Hidden:\n    pass\n"),
                ExampleFile("app/views.py", "def view():\n    from . import User, ↓_Hidden\n"),
            ]),
            Example(files: [
                ExampleFile("app/a.py", "from app.b import ↓Thing\n"),
                ExampleFile("app/b.py", "from app.a import ↓Thing\n"),
                ExampleFile("app/user.py", "from app.a import Thing\n"),
            ]),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile("app/__init__.py", "from .models import *\n"),
                ExampleFile("app/models.py", "from os.path import *\n\n\nclass User:\n    pass\n"),
                ExampleFile("app/lazy.py", "def __getattr__(name):\n    return name\n"),
                ExampleFile(
                    "app/views.py",
                    "from app import User, models, join\nfrom app.lazy import Anything\nimport app.models\nimport requests\n"),
            ]),
            Example(files: [
                ExampleFile("app/__init__.py", ""),
                ExampleFile(
                    "app/views.py", "try:\n    from app._speedups import render\nexcept ImportError:\n    def render():\n        pass\n"),
            ]),
        ],
        supersedes: ["deprecated_import", "fragmented_import", "fallback_import"])

    private let options: Options

    public static var readsSymbolTable: Bool { true }

    /// A file's imports are judged by their own resolutions and by which modules exist.
    public static var judgesThroughImports: Bool { true }

    public init(options: Options) {
        self.options = options
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        let symbols = context.index.symbols
        let kinds = Set(options.importKinds)
        var violations: [Violation] = []
        // What each module imported is, asked once: most are imported by many files.
        typealias Known = (firstParty: Bool, dynamic: Bool, exists: Bool)
        var modules: [HashedName: Known] = [:]
        var last = LastAnswer<Known>()
        for file in context.index.reportedModuleFiles {
            var reportedModules: Set<String> = []
            let imports = file.imports
            // By index: an import is copied out only once it is known to be of a project module.
            for k in imports.indices where kinds.contains(imports[k].kind) {
                let module = last.value(for: imports[k].module) { imported in
                    let key = HashedName(imported)
                    if let known = modules[key] { return known }
                    let firstParty = symbols.isFirstParty(imported)
                    let dynamic = if firstParty, case .dynamic = symbols.origin(ofModule: imported) { true } else { false }
                    let known = (firstParty: firstParty, dynamic: dynamic, exists: firstParty && symbols.contains(module: imported))
                    modules[key] = known
                    return known
                }
                guard module.firstParty, !module.dynamic else { continue }
                let fact = imports[k]
                let location = SourceLocation(path: file.path, range: fact.range)
                if fact.module.hasPrefix(".") || !module.exists {
                    guard reportedModules.insert("\(fact.statementRange) \(fact.module)").inserted else { continue }
                    let message = fact.module.hasPrefix(".")
                        ? "relative import '\(fact.module)' climbs above the top-level package of \(file.module); import it by its absolute name"
                        : "module '\(fact.module)' does not exist in the project; import it from where it lives now"
                    violations.append(Violation(location: location, message: message, subject: fact.module))
                    continue
                }
                guard fact.form == .from, let name = fact.name, name != "*" else { continue }
                let resolved = context.index.resolve(name, in: fact.module)
                if case .cycle = resolved.origin, resolved.chain.contains(where: { $0.module == file.module }) {
                    let loop = [file.module] + resolved.chain.map(\.module).prefix { $0 != file.module } + [file.module]
                    violations.append(
                        Violation(
                            location: location,
                            message: "'\(name)' is re-exported in a cycle (\(loop.joined(separator: " → "))) and defined in none "
                                + "of these modules; import it from where it is defined",
                            subject: "\(fact.module).\(name)",
                            related: resolved.chain.filter { $0.module != file.module }.map {
                                RelatedLocation(location: $0.location, message: "\($0.module) takes it from the next module in the cycle")
                            }))
                    continue
                }
                guard resolved.chain.allSatisfy({ $0.location == location }), case .missing(let module, let missing) = resolved.origin,
                    module == fact.module || module == "\(fact.module).\(name)", missing == name || missing == nil
                else { continue }
                let related = context.index.file(forModule: fact.module).map {
                    [RelatedLocation(location: SourceLocation(path: $0.path, range: .at(line: 1, column: 1)), message: "\(fact.module) is here")]
                } ?? []
                violations.append(
                    Violation(
                        location: location,
                        message: "\(fact.module) does not bind '\(name)' (no definition, import, assignment, star export or "
                            + "submodule of that name); import it from where it lives now",
                        subject: "\(fact.module).\(name)", related: related))
            }
        }
        return violations
    }
}
