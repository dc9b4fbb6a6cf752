import CanonCore

/// Reports a concept declared in the policy that is imported through more than one path, or by more files
/// than its `max_files`: the consolidation is not done.
public struct ConceptFootprintDetector: Detector {
    public static let description = RuleDescription(
        id: "concept_footprint",
        code: "IMP004",
        family: .imports,
        summary: "A concept declared in the policy is imported through several paths or by too many files",
        rationale: """
            A team consolidating a concept (one websocket manager, one settings object) declares it under \
            `concepts:` with its symbols or a name pattern, its canonical module and, optionally, how many \
            files may import it (`max_files`). Until every file takes it through one path, and no more files \
            than the budget depend on it, the consolidation is not finished; this finding tracks it, once per \
            concept, at the canonical definition. `canon report` prints the whole footprint: definitions, \
            bindings, each path with its files.
            """,
        defaultSeverity: .warning,
        triggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/core/manager.py", "↓class UnifiedWebSocketManager:\n    pass\n"),
                    ExampleFile(
                        "app/legacy.py", "from app.core.manager import UnifiedWebSocketManager\n\nWebSocketManager = UnifiedWebSocketManager\n"),
                    ExampleFile("app/chat.py", "from app.legacy import WebSocketManager\n"),
                ],
                policy: """
                    concepts:
                      websocket-manager:
                        pattern: ".*WebSocketManager.*"
                        canonical: app.core.manager
                    """),
            Example(
                files: [
                    ExampleFile("app/settings.py", "↓class Settings:\n    pass\n"),
                    ExampleFile("app/a.py", "from app.settings import Settings\n"),
                    ExampleFile("app/b.py", "from app.settings import Settings\n"),
                ],
                policy: """
                    concepts:
                      settings:
                        symbols: [Settings]
                        max_files: 1
                    """),
        ],
        nonTriggeringExamples: [
            Example(
                files: [
                    ExampleFile("app/settings.py", "class Settings:\n    pass\n"),
                    ExampleFile("app/a.py", "from app.settings import Settings\n"),
                    ExampleFile("app/b.py", "import app.settings as s\n\nx = s.Settings()\n"),
                ],
                policy: """
                    concepts:
                      settings:
                        symbols: [Settings]
                        max_files: 2
                    """),
            Example(files: [
                ExampleFile("app/settings.py", "class Settings:\n    pass\n"),
                ExampleFile("app/compat.py", "from app.settings import Settings\n"),
                ExampleFile("app/a.py", "from app.compat import Settings\n"),
            ]),
        ])

    public static var readsSymbolTable: Bool { true }

    public init(options: NoOptions) {}

    /// Without concepts in the policy, nothing: the rule then reports nothing whatever the files hold, and an
    /// edit need not run it (nor work out every file's symbol imports for it). With concepts, nil.
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? {
        context.settings.concepts.isEmpty ? 0 : nil
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        let graph = ImportGraph(context: context)
        guard !graph.concepts.isEmpty else { return [] }
        let groups = graph.importsByDefinition(kinds: Set(ImportKind.allCases))
        var violations: [Violation] = []
        for matcher in graph.concepts {
            let (entry, primary) = ConceptReport.entry(for: matcher, graph: graph, groups: groups)
            guard entry.needsWork, let site = primary else { continue }
            let paths = entry.paths.map { "\($0.module) (\(ImportGraph.count($0.files, "file")))" }.joined(separator: ", ")
            violations.append(
                Violation(
                    location: site.location,
                    message: "concept '\(entry.name)' is \(entry.verdict); paths: \(paths)",
                    subject: "concept:\(entry.name)",
                    related: entry.bindings.map {
                        RelatedLocation(
                            location: SourceLocation(path: $0.path, range: .at(line: $0.line, column: 1)),
                            message: "\($0.module) binds it as '\($0.name)'")
                    }))
        }
        return violations
    }
}
