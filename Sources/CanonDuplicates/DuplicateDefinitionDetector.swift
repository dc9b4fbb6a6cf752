import CanonCore
import Foundation

/// Reports a top-level class that two or more modules of the project define: one concept with two homes. In
/// Swift, a type (class, struct, enum, protocol, actor) that two or more targets declare.
public struct DuplicateDefinitionDetector: Detector {
    public struct Options: DetectorOptions {
        /// Regular expressions; a class whose name matches one in full is never reported.
        public var ignoreNames: [String] = []
        /// Whether definitions in test files count.
        public var includeTests = false
        /// How many modules must define a name before it is reported.
        public var minDefinitions = 2
        /// Globs that make a file a test file.
        public var testPatterns = TestFiles.defaultPatterns

        public init() {}

        public func validate() -> [OptionProblem] {
            NamePatterns.problems(in: ignoreNames, key: "ignore_names")
                + (minDefinitions < 2 ? [OptionProblem(key: "min_definitions", reason: "must be at least 2")] : [])
        }

        enum CodingKeys: String, CodingKey {
            case ignoreNames = "ignore_names"
            case includeTests = "include_tests"
            case minDefinitions = "min_definitions"
            case testPatterns = "test_patterns"
        }
    }

    public static let description = RuleDescription(
        id: "duplicate_definition",
        code: "DUP001",
        family: .duplicates,
        summary: "A top-level class is defined in more than one module",
        rationale: """
            Two classes with one name in two modules are two sources of truth for one concept: callers pick \
            one or the other by import path, fixes land in one copy only, and `isinstance` checks fail across \
            them. Keep one definition, import it from everywhere else, and delete the copy (or rename it if \
            the two are really different concepts). In Swift the modules are SwiftPM targets and every type \
            declaration counts (class, struct, enum, protocol, actor); a `typealias` points at a home rather \
            than being one, and types of one name in one target (each branch of an `#if`) are one definition. \
            Python and Swift types are compared only within their own language.
            """,
        defaultSeverity: .warning,
        options: [
            OptionDescription("ignore_names", "regular expressions; class names matching one in full are not reported"),
            OptionDescription("include_tests", "count definitions in test files and folders too"),
            OptionDescription("min_definitions", "how many modules must define the name (at least 2)"),
            OptionDescription("test_patterns", "globs that mark test files and folders"),
        ],
        triggeringExamples: [
            Example(files: [
                ExampleFile("billing/invoice.py", "↓class Invoice:\n    total = 0\n"),
                ExampleFile("legacy/invoice.py", "import enum\n\n\n@enum.unique\n↓class Invoice(enum.Enum):\n    A = 1\n"),
            ]),
            Example(files: [
                ExampleFile("Sources/App/User.swift", "import Foundation\n\n@MainActor\n↓public struct User: Sendable {\n    let id: Int\n}\n"),
                ExampleFile("Sources/Legacy/Models.swift", "↓final class User {}\n\n↓enum Role {}\n"),
                ExampleFile("Sources/Admin/Role.swift", "↓protocol Role {}\n"),
            ]),
            Example(files: [
                ExampleFile("app/a.py", "↓class Manager:\n    pass\n"),
                ExampleFile("app/b.py", "↓class Manager(Base):\n    pass\n"),
                ExampleFile("app/c.py", "from typing import Protocol\n\n↓class Manager(Protocol):\n    ...\n"),
            ]),
        ],
        nonTriggeringExamples: [
            Example(files: [
                ExampleFile("billing/invoice.py", "class Invoice:\n    pass\n"),
                ExampleFile("legacy/invoice.py", "from billing.invoice import Invoice\n"),
            ]),
            Example(files: [
                ExampleFile("billing/invoice.py", "class Invoice:\n    '''Not class Invoice: elsewhere.'''\n"),
                ExampleFile(
                    "legacy/notes.py", "# class Invoice: was here\nTEXT = \"class Invoice:\"\nDOC = '''\nclass Invoice:\n'''\n"),
                ExampleFile("tests/test_invoice.py", "class Invoice:\n    pass\n"),
            ]),
            Example(files: [
                ExampleFile("a.py", "class Outer:\n    class Meta:\n        pass\n"),
                ExampleFile("b.py", "def build():\n    class Meta:\n        pass\n    return Meta\n"),
            ]),
            Example(files: [
                ExampleFile("Sources/App/Clock.swift", "#if os(Linux)\nstruct Clock {}\n#else\nstruct Clock {}\n#endif\n"),
                ExampleFile("Sources/App/User.swift", "struct User {\n    struct Config {}\n}\n"),
                ExampleFile("Sources/Legacy/User.swift", "import App\n\ntypealias User = App.User\n\nextension Clock {\n    struct Config {}\n}\n"),
                ExampleFile("Tests/AppTests/Doubles.swift", "struct Clock {}\n"),
                ExampleFile("tools/user.py", "class User:\n    pass\n"),
            ]),
            Example(
                files: [
                    ExampleFile("a.py", "class Migration:\n    pass\n"),
                    ExampleFile("b.py", "class Migration:\n    pass\n"),
                ], options: "ignore_names: ['Migration']"),
        ])

    private let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// A file's place (path, module, language) and its top-level classes: all the rule reads of it.
    public func factsHash(of file: FileFacts, in context: DetectionContext) -> UInt64? {
        var hash = InputHash()
        hash.add(file.path)
        hash.add(file.module)
        hash.add(file.language.rawValue)
        for fact in file.classes where fact.isTopLevel {
            hash.add(fact.name)
            hash.add(fact.kind.rawValue)
            hash.add(fact.range)
        }
        return hash.value
    }

    public static var readsResolutions: Bool { false }

    public func detect(in context: DetectionContext) -> [Violation] {
        let ignored = NamePatterns(options.ignoreNames)
        // Each site with its kind (class, protocol, ...), kept together rather than in a table by location, which
        // hashed every class's path.
        var sitesByName: [Key: [(site: DefinitionSite, kind: TypeKind)]] = [:]
        let tests = TestFiles(patterns: options.testPatterns)
        func add(_ file: FileFacts, only name: String? = nil) {
            guard options.includeTests || !tests.contains(file.path) else { return }
            for fact in file.classes where fact.isTopLevel && fact.kind != .typealias && (name == nil || fact.name == name) {
                let site = DefinitionSite(module: file.module, path: file.path, name: fact.name, kind: .class, range: fact.range)
                sitesByName[Key(language: file.language, name: fact.name), default: []].append((site, fact.kind))
            }
        }
        var reportedOnly: Set<String>?
        if context.index.reportsFewFiles {
            // Checking a few files: only the names they define are looked up, in the index's definitions.
            let own = context.index.reportedModuleFiles
            reportedOnly = Set(own.map(\.path))
            for name in Set(own.flatMap { $0.classes.filter(\.isTopLevel).map(\.name) }).sorted() {
                var paths: [String] = []
                for site in context.index.definitions(of: name) where site.kind == .class && paths.last != site.path {
                    paths.append(site.path)
                }
                for path in paths { context.index.file(atPath: path).map { add($0, only: name) } }
            }
        } else {
            sitesByName.reserveCapacity(context.index.moduleFiles.reduce(0) { $0 + $1.classes.count })
            for file in context.index.moduleFiles { add(file) }
        }
        var violations: [Violation] = []
        for (key, entries) in sitesByName {
            // Fewer sites than the definitions asked for cannot span enough modules: most names have one.
            guard entries.count >= options.minDefinitions else { continue }
            let name = key.name
            let sites = entries.map(\.site)
            let modules = Set(sites.map(\.module))
            guard modules.count >= options.minDefinitions else { continue }
            if ignored.matches(name) { continue }
            // Each site is a related place of every other site's finding, said the same way: made once, not once
            // for each of the others (a name defined in many modules made a message for every pair of them).
            let related = sites.map { RelatedLocation(location: $0.location, message: "'\(name)' is also defined in \($0.module)") }
            let sortedModules = modules.sorted()
            for (site, kind) in entries where reportedOnly?.contains(site.path) ?? true {
                let names = sortedModules.filter { $0 != site.module }
                violations.append(
                    Violation(
                        location: site.location,
                        message: "\(kind.rawValue) '\(name)' is also defined in \(Prose.list(names)); keep one definition and import it",
                        subject: "\(site.module).\(name)",
                        related: sites.indices.filter { sites[$0].module != site.module }.map { related[$0] }))
            }
        }
        return violations
    }

    /// Names are compared within one language: a Swift type does not duplicate a Python class.
    private struct Key: Hashable {
        let language: SourceLanguage
        let name: String
    }
}
