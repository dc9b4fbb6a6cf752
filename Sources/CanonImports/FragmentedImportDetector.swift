import CanonCore

/// Reports imports of a project symbol through a module path other than its canonical one, when files take
/// the symbol through two or more paths: one symbol, several homes in the import graph.
public struct FragmentedImportDetector: Detector {
    public struct Options: DetectorOptions {
        /// How many distinct paths a symbol must be imported through before its imports are reported.
        public var minPaths = 2
        /// Which imports count, by where they sit.
        public var importKinds: [ImportKind] = [.runtime, .typeChecking, .function]
        /// Regular expressions; a symbol whose name or qualified name matches one in full is never reported.
        public var ignoreSymbols: [String] = []

        public init() {}

        public func validate() -> [OptionProblem] {
            let range = minPaths < 2 ? [OptionProblem(key: "min_paths", reason: "must be at least 2, not \(minPaths)")] : []
            return range + NamePatterns.problems(in: ignoreSymbols, key: "ignore_symbols")
        }

        enum CodingKeys: String, CodingKey {
            case minPaths = "min_paths"
            case importKinds = "import_kinds"
            case ignoreSymbols = "ignore_symbols"
        }
    }

    public static let description = RuleDescription(
        id: "fragmented_import",
        code: "IMP001",
        family: .imports,
        summary: "A project symbol is imported through more than one module path",
        rationale: """
            When files take one class from a legacy module, a compat alias and its real home, the import graph \
            has several sources of truth: moving or deleting any of them breaks some files, and readers cannot \
            tell the paths are one object. Canon follows re-exports, aliases by assignment (`A = B`) and star \
            imports to the definition, picks the canonical path (the concept's `canonical` module in the policy, \
            else a `public_api` package that binds it, else the top-most package above the definition that \
            re-exports it in `__all__`, as `import X as X` or by a star import and is not deprecated, else \
            the top-most package above it whose `__init__` imports it if files use it at least as often as \
            the defining module, else the defining module), and reports each import through another path. Imports inside the canonical package (or module) \
            are not counted: its modules take names from where they are defined, as they must. `canon fix` \
            rewrites `from` imports to the canonical path.
            """,
        defaultSeverity: .warning,
        options: [
            OptionDescription("min_paths", "how many distinct import paths a symbol needs before its imports are reported"),
            OptionDescription(
                "import_kinds", "which imports count: runtime, type_checking, function, fallback (fallbacks are fallback_import's)"),
            OptionDescription("ignore_symbols", "regular expressions; symbols whose name or qualified name match one in full are not reported"),
        ],
        triggeringExamples: [
            Example(files: [
                ExampleFile("app/websocket/manager.py", "class UnifiedWebSocketManager:\n    pass\n"),
                ExampleFile(
                    "app/legacy.py", "from app.websocket.manager import UnifiedWebSocketManager\n\nWebSocketManager = UnifiedWebSocketManager\n"),
                ExampleFile("app/chat.py", "from app.websocket.manager import UnifiedWebSocketManager\n"),
                ExampleFile("app/admin.py", "from app.legacy import ↓WebSocketManager\n"),
            ]),
            Example(files: [
                ExampleFile("shop/__init__.py", "from shop.models import Order\n\n__all__ = ['Order']\n"),
                ExampleFile("shop/models.py", "class Order:\n    pass\n"),
                ExampleFile("billing/a.py", "from shop import Order\n"),
                ExampleFile("billing/b.py", "def f():\n    from shop.models import ↓Order\n    return Order\n"),
                ExampleFile("billing/c.py", "import shop.models as m\n\nx = ↓m.Order()\n"),
            ]),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile("shop/__init__.py", "from .models import Order\n\n__all__ = ['Order']\n"),
                ExampleFile("shop/models.py", "class Order:\n    pass\n"),
                ExampleFile("shop/views.py", "from shop.models import Order\n"),
                ExampleFile("billing/a.py", "from shop import Order\n"),
            ]),
            Example(files: [
                ExampleFile("app/core.py", "class Engine:\n    pass\n"),
                ExampleFile("app/compat.py", "from app.core import Engine\n"),
                ExampleFile("app/a.py", "from app.core import Engine\n"),
                ExampleFile("app/b.py", "from app.compat import Engine\n"),
            ], options: "ignore_symbols: ['app\\.core\\.Engine']"),
            Example(files: [
                ExampleFile("app/core.py", "class Engine:\n    pass\n"),
                ExampleFile("app/a.py", "from app.core import Engine\n"),
                ExampleFile("app/b.py", "try:\n    from app.speedups import Engine\nexcept ImportError:\n    from app.core import Engine\n"),
            ]),
        ])

    private let options: Options

    public static var readsSymbolTable: Bool { true }

    public init(options: Options) {
        self.options = options
    }

    /// A file's imports, attribute walks, top-level bindings and declarations, and deprecations
    /// (`ProjectIndex.importFactsHash`): all the rule reads of it but what its names resolve to.
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? {
        context.index.importFactsHash(of: file, projectTops: context.derived())
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        let graph = ImportGraph(context: context)
        let ignored = NamePatterns(options.ignoreSymbols)
        var violations: [Violation] = []
        var fixes = ImportFixPlanner(context: context)
        for (site, imports) in graph.importsByDefinition(kinds: Set(options.importKinds), reportedOnly: true) {
            // The paths counted are some of these, so a definition taken through fewer is passed over at once.
            guard Self.comeThrough(atLeast: options.minPaths, imports) else { continue }
            let qualified = "\(site.module).\(site.name)"
            if ignored.matches(site.name) || ignored.matches(qualified) { continue }
            let canonical = graph.canonicalPath(for: site, imports: imports)
            let counted = imports.filter { !graph.isInternal($0, canonical: canonical) }
            let paths = ImportGraph.pathCounts(counted)
            guard paths.count >= options.minPaths else { continue }
            let filesByPath = Dictionary(uniqueKeysWithValues: paths.map { ($0.path, $0.files) })
            let canonicalFiles = filesByPath[canonical.module] ?? 0
            let firstCanonical = counted.first { $0.source == canonical.module }
            for item in counted where item.source != canonical.module && context.index.isReported(item.path) {
                let used = ImportGraph.count(filesByPath[item.source] ?? 0, "file")
                let shown = item.isAttributeUse ? "'\(item.localName)'" : "'\(item.name)'"
                var related = [RelatedLocation(location: site.location, message: "'\(site.name)' is defined here, in \(site.module)")]
                if let firstCanonical {
                    related.append(RelatedLocation(location: firstCanonical.location, message: "imported through \(canonical.module) here"))
                }
                violations.append(
                    Violation(
                        location: item.location,
                        message: "\(shown) is \(qualified), imported through \(paths.count) module paths; "
                            + "use '\(canonical.statement)' (\(canonical.why), \(ImportGraph.count(canonicalFiles, "file"))) "
                            + "instead of \(item.source) (\(used))",
                        subject: qualified, related: related,
                        fix: fixes.fix(
                            path: item.path, importer: item.module, clause: item.range, statement: item.statementRange, source: item.source,
                            name: item.name, target: canonical.module, kind: item.kind, isAttributeUse: item.isAttributeUse)))
            }
        }
        return violations
    }

    /// Whether `imports` come through at least `count` modules: counted in a short list until there are that
    /// many (a definition's imports nearly all come through one or two), where a set of them hashed every one.
    private static func comeThrough(atLeast count: Int, _ imports: [SymbolImport]) -> Bool {
        var sources: [String] = []
        for item in imports where !sources.contains(item.source) {
            sources.append(item.source)
            if sources.count >= count { return true }
        }
        return false
    }
}
