import ArgumentParser
import Canon
import Foundation

/// `canon facts PATH`: dumps what the front end extracted, for debugging and differential tests.
struct FactsCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts", abstract: "Print the facts Canon extracts from files (for debugging).")

    @OptionGroup var project: ProjectOptions

    @OptionGroup var caching: CacheOptions

    @Option(name: .long, help: "json or text.")
    var format: OutputFormat = .json

    struct Document: Encodable {
        let version: Int
        let files: [FileFacts]
        let errors: [FileError]
        let skipped: [SkippedFile]
    }

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let registry = policies.registry
        let (root, policy) = try project.load(policies: policies)
        let facts = Engine.collectFacts(
            root: root, policy: policy, jobs: try project.resolvedJobs(), frontEnds: registry.frontEnds,
            cache: caching.cache(for: root, project: project, console: console))
        let prefixes = project.urls.compactMap { ScanRoot.relativePath(of: $0, to: root) }
        func wanted(_ path: String) -> Bool {
            prefixes.contains { $0.isEmpty || path == $0 || path.hasPrefix($0 + "/") }
        }
        let files = facts.files.filter { wanted($0.path) }
        let errors = facts.errors.filter { wanted($0.path) }
        switch format {
        case .json:
            console.write(JSONReporter.encode(Document(version: 1, files: files, errors: errors, skipped: facts.skipped)))
        case .text:
            for file in files {
                console.write("\(file.path) (module \(file.module)\(file.isPackage ? ", package" : ""))\n")
                for fact in file.imports {
                    let what = fact.name.map { "from \(fact.module) import \($0)" } ?? "import \(fact.module)"
                    let alias = fact.alias.map { " as \($0)" } ?? ""
                    console.write("  \(fact.range.line):\(fact.range.column) \(what)\(alias) [\(fact.kind.rawValue)]\n")
                }
                for fact in file.classes {
                    console.write("  \(fact.range.line):\(fact.range.column) \(fact.kind.rawValue) \(fact.qualifiedName)\n")
                }
                for fact in file.functions where fact.isTopLevel {
                    console.write("  \(fact.range.line):\(fact.range.column) def \(fact.qualifiedName)\n")
                }
            }
            for error in errors { console.write("\(error.path):\(error.line):\(error.column): error: \(error.message)\n") }
        }
        return ExitCode32.clean
    }
}
