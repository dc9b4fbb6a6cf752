import CanonCore

/// Reports a top-level type whose name ends in a word that says nothing about what it holds (`Manager`,
/// `Helper`): such types collect unrelated duties and become a second home for logic that has a real one.
public struct VagueTypeNameDetector: Detector {
    public struct Options: DetectorOptions {
        /// Name endings that are reported.
        public var suffixes = ["Manager", "Helper", "Utils"]
        /// Exact names that are allowed all the same.
        public var allowed: [String] = []

        public init() {}

        enum CodingKeys: String, CodingKey {
            case suffixes
            case allowed
        }
    }

    public static let description = RuleDescription(
        id: "vague_type_name",
        code: "TEAM001",
        family: .team,
        summary: "A top-level type is named with a vague suffix such as Manager or Helper",
        rationale: """
            A `SessionManager` or `StringHelper` attracts every duty nobody placed elsewhere, and soon holds a \
            second copy of logic that has a real home. Name the type after what it is, or move its duties to \
            the types they belong to.
            """,
        defaultSeverity: .warning,
        options: [
            OptionDescription("suffixes", "name endings that are reported"),
            OptionDescription("allowed", "exact type names that are not reported"),
        ],
        triggeringExamples: [
            Example(files: [ExampleFile("Sources/App/Session.swift", "↓final class SessionManager {}\n")]),
            Example(files: [ExampleFile("app/text.py", "↓class StringHelper:\n    pass\n")]),
            Example(
                files: [ExampleFile("Sources/App/Cache.swift", "↓struct CacheRegistry {}\n")],
                options: "suffixes: [Registry]"),
        ],
        nonTriggeringExamples: [
            Example(files: [ExampleFile("Sources/App/Session.swift", "struct Session {\n    struct Manager {}\n}\n")]),
            Example(
                files: [ExampleFile("Sources/App/Files.swift", "final class FileManager {}\n")],
                options: "allowed: [FileManager]"),
        ])

    private let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func detect(in context: DetectionContext) -> [Violation] {
        var violations: [Violation] = []
        for file in context.index.moduleFiles {
            for fact in file.classes where fact.isTopLevel && fact.kind != .typealias {
                guard !options.allowed.contains(fact.name),
                    let suffix = options.suffixes.first(where: { fact.name.hasSuffix($0) && fact.name != $0 })
                else { continue }
                violations.append(
                    Violation(
                        location: SourceLocation(path: file.path, range: fact.range),
                        message: "\(fact.kind.rawValue) '\(fact.name)' ends in '\(suffix)'; name it after what it is",
                        subject: "\(file.module).\(fact.name)"))
            }
        }
        return violations
    }
}
