import ArgumentParser
import Canon
import CanonImports
import Foundation

/// `canon report [PATH]`: the consolidation page, per concept (or per most fragmented symbol).
struct ReportCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report each concept's footprint: definitions, bindings, import paths with their files, and a verdict.",
        discussion: "With no concepts in the policy, reports the \(ConceptReport.undeclaredLimit) most fragmented symbols.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case markdown

        var conceptFormat: ConceptReportFormat {
            switch self {
            case .text: .text
            case .json: .json
            case .markdown: .markdown
            }
        }
    }

    @OptionGroup var project: ProjectOptions

    @OptionGroup var caching: CacheOptions

    @Option(name: .long, help: "The format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .text

    @Option(name: .long, help: "Write the report to this file instead of standard output.")
    var output: String?

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let registry = policies.registry
        let (root, policy) = try project.load(policies: policies)
        let facts = Engine.collectFacts(
            root: root, policy: policy, jobs: try project.resolvedJobs(), frontEnds: registry.frontEnds,
            cache: caching.cache(for: root, project: project, console: console))
        for error in facts.errors { console.error("canon: \(error.path):\(error.line):\(error.column): cannot parse: \(error.message)") }
        let context = DetectionContext(
            index: ProjectIndex(files: facts.files, compiledModules: facts.compiledModules), settings: policy.settings)
        let text = ConceptReport(context: context).rendered(as: format.conceptFormat)
        if let output { try writeAtomically(text, to: output) } else { console.write(text) }
        return ExitCode32.clean
    }
}
