import CanonCore
import Foundation

/// Reports a concept (a name pattern or a set of symbols) that has classes and module-level aliases in several
/// modules besides its canonical one: one finding per concept, at its canonical definition.
public struct ConceptSprawlDetector: Detector {
    public struct Options: DetectorOptions, Hashable {
        /// Regular expressions, each a concept, used when the policy declares no `concepts`.
        public var patterns: [String] = []
        /// How many classes and aliases may live outside the canonical module before the concept is reported.
        public var maxDefinitions = 1
        /// Whether definitions in test files count.
        public var includeTests = false
        /// Globs that make a file a test file.
        public var testPatterns = TestFiles.defaultPatterns

        public init() {}

        public func validate() -> [OptionProblem] { NamePatterns.problems(in: patterns, key: "patterns") }

        enum CodingKeys: String, CodingKey {
            case patterns
            case maxDefinitions = "max_definitions"
            case includeTests = "include_tests"
            case testPatterns = "test_patterns"
        }
    }

    public static let description = RuleDescription(
        id: "concept_sprawl",
        code: "DUP002",
        family: .duplicates,
        summary: "A concept has classes or aliases in several modules besides its canonical one",
        rationale: """
            A concept that should have one home (a WebSocket manager, a settings object) tends to sprout \
            variants: `LegacyWebSocketManager` in one package, `UnifiedWebSocketManager` in another, a \
            `WebSocketManager = UnifiedWebSocketManager` alias in a compat module. Each is a place callers can \
            bind to and fixes can miss. For each concept of the policy (`concepts:` with `symbols` or a \
            `pattern`, and optionally its `canonical` module), or each regular expression in `patterns` when the \
            policy declares none, Canon collects the top-level classes and module-level aliases whose names \
            match; when more than `max_definitions` live outside the canonical module (the declared one, else \
            the module of the first class in path order) it reports the concept once, at its canonical \
            definition, with every other definition as a related location. Consolidate them into the canonical \
            module.
            """,
        defaultSeverity: .warning,
        options: [
            OptionDescription("patterns", "regular expressions, each a concept of the class and alias names it matches in full; used when the policy declares no concepts"),
            OptionDescription("max_definitions", "how many classes and aliases may live outside the canonical module"),
            OptionDescription("include_tests", "count definitions in test files and folders too"),
            OptionDescription("test_patterns", "globs that mark test files and folders"),
        ],
        triggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/legacy/manager.py", "class LegacyWebSocketManager:\n    pass\n"),
                    ExampleFile("app/ws/core.py", "↓class UnifiedWebSocketManager:\n    pass\n"),
                    ExampleFile("app/compat.py", "from app.ws.core import UnifiedWebSocketManager\n\nWebSocketManager = UnifiedWebSocketManager\n"),
                    ExampleFile("app/tests/test_ws.py", "class FakeWebSocketManager:\n    pass\n"),
                ],
                policy: """
                    concepts:
                      websocket-manager:
                        symbols: [WebSocketManager]
                        pattern: ".*WebSocketManager"
                        canonical: app.ws.core
                    """),
            Example(
                files: [
                    ExampleFile("billing/clients.py", "↓class PaymentClient:\n    pass\n"),
                    ExampleFile("legacy/payments.py", "class PaymentClient:\n    pass\n\n\nclass OldPaymentClient(PaymentClient):\n    pass\n"),
                ],
                options: "patterns: ['.*PaymentClient']"),
        ],
        nonTriggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/ws/core.py", "class UnifiedWebSocketManager:\n    pass\n\n\nWebSocketManager = UnifiedWebSocketManager\n"),
                    ExampleFile("app/compat.py", "from app.ws.core import UnifiedWebSocketManager as WebSocketManager\n"),
                    ExampleFile("app/legacy.py", "class LegacyWebSocketManager:\n    pass\n"),
                    ExampleFile("app/tests/fakes.py", "class FakeWebSocketManager:\n    pass\n"),
                    ExampleFile("app/views.py", "def get_websocket_manager():\n    return None\n\n\nmanager = get_websocket_manager()\n"),
                ],
                policy: """
                    concepts:
                      websocket-manager:
                        pattern: ".*WebSocketManager"
                        canonical: app.ws.core
                    """),
            Example(
                files: [
                    ExampleFile("a.py", "class PaymentClient:\n    pass\n"),
                    ExampleFile("b.py", "class PaymentClient:\n    pass\n"),
                    ExampleFile("c.py", "class PaymentClientError(Exception):\n    pass\n"),
                ],
                options: "patterns: ['.*PaymentClient']"),
        ])

    private let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// A class or a module-level alias that belongs to a concept.
    struct Site {
        var module: String
        var name: String
        var location: SourceLocation
        var aliasOf: String?
        var isClass: Bool { aliasOf == nil }
        var label: String { "\(module).\(name)" + (aliasOf.map { " (alias of \($0))" } ?? "") }

        /// The top-level classes and aliases of `file` whose names `matches`, in the file's order.
        static func sites(in file: FileFacts, matching matches: (String) -> Bool) -> [Site] {
            var sites: [Site] = []
            for fact in file.classes where fact.isTopLevel && matches(fact.name) {
                sites.append(Site(module: file.module, name: fact.name, location: SourceLocation(path: file.path, range: fact.range)))
            }
            for fact in file.assignments where !fact.isAugmented && matches(fact.name) {
                guard case .alias(let target) = fact.value else { continue }
                sites.append(
                    Site(module: file.module, name: fact.name, location: SourceLocation(path: file.path, range: fact.range), aliasOf: target))
            }
            return sites
        }
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        let concepts = context.settings.concepts.isEmpty
            ? options.patterns.map { Concept(name: $0, pattern: $0) } : context.settings.concepts
        guard !concepts.isEmpty else { return [] }
        // Checking a few files reads the concepts' sites kept across checks rather than walking the project.
        let kept = context.index.reportsFewFiles
            ? context.derived(ConceptSites.self, parameters: ConceptSites.Parameters(concepts: concepts, options: options)) : nil
        let files = kept != nil ? [] : DuplicatesSupport.files(in: context.index, includeTests: options.includeTests, testPatterns: options.testPatterns)
        var violations: [Violation] = []
        for (offset, concept) in concepts.enumerated() {
            let matches = ConceptMatcher(concept).matches
            let sites = kept?.sites[offset] ?? files.flatMap { Site.sites(in: $0, matching: matches) }.sorted { $0.location < $1.location }
            guard let canonical = concept.canonical ?? sites.first(where: \.isClass)?.module ?? sites.first?.module else { continue }
            let others = sites.filter { $0.module != canonical }
            guard others.count > max(0, options.maxDefinitions) else { continue }
            let home = sites.first { $0.module == canonical && $0.isClass } ?? sites.first { $0.module == canonical } ?? sites[0]
            let title = concept.symbols.first.map { "\($0) classes" }
                ?? (concept.name == concept.pattern ? "classes matching '\(concept.name)'" : "\(concept.name) classes")
            let place = home.module == canonical
                ? "outside its canonical module \(canonical)" : "and none in its canonical module \(canonical)"
            violations.append(
                Violation(
                    location: home.location,
                    message: """
                        Found other \(title): [\(others.map(\.label).joined(separator: ", "))] \(place); \
                        consolidate them into one definition there
                        """,
                    subject: "concept:\(concept.name)",
                    related: others.filter { $0.location != home.location }.map {
                        RelatedLocation(location: $0.location, message: "\($0.isClass ? "class" : "alias") \($0.label)")
                    }))
        }
        return violations
    }
}

/// Each concept's sites across the project (`concept_sprawl`'s), in path order, kept so that one file's edit
/// swaps its own sites.
struct ConceptSites: ParameterizedDerived {
    struct Parameters: Hashable, Sendable {
        var concepts: [Concept]
        var options: ConceptSprawlDetector.Options
    }

    private let parameters: Parameters
    private let tests: TestFiles
    /// The sites of each concept, in the order of `parameters.concepts`, sorted by location.
    private(set) var sites: [[ConceptSprawlDetector.Site]]

    init(index: ProjectIndex, parameters: Parameters) {
        self.parameters = parameters
        tests = TestFiles(patterns: parameters.options.testPatterns)
        let files = DuplicatesSupport.files(
            in: index, includeTests: parameters.options.includeTests, testPatterns: parameters.options.testPatterns)
        sites = parameters.concepts.map { concept in
            let matches = ConceptMatcher(concept).matches
            return files.flatMap { ConceptSprawlDetector.Site.sites(in: $0, matching: matches) }.sorted { $0.location < $1.location }
        }
    }

    func replacing(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> ConceptSites? {
        var kept = self
        return kept.replace(old, with: new, in: index) ? kept : nil
    }

    mutating func replace(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> Bool {
        guard old.path == new.path else { return false }
        let counted = index.file(forModule: new.module)?.path == new.path
            && (parameters.options.includeTests || !tests.contains(new.path))
        guard counted else { return true }
        for (offset, concept) in parameters.concepts.enumerated() {
            let matches = ConceptMatcher(concept).matches
            sites[offset].removeAll { $0.location.path == new.path }
            let at = sites[offset].firstIndex { $0.location.path > new.path } ?? sites[offset].count
            sites[offset].insert(
                contentsOf: ConceptSprawlDetector.Site.sites(in: new, matching: matches).sorted { $0.location < $1.location }, at: at)
        }
        return true
    }
}
