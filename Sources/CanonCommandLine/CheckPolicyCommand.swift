import ArgumentParser
import Canon
import Foundation

/// `canon check-policy [FILE]`: validates a policy without scanning.
struct CheckPolicyCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-policy",
        abstract: "Validate a policy file without scanning: exit 0 when it is valid, 2 with file:line:col when not.")

    @Argument(help: "The policy file (default: the .canon.yml of the project holding the current folder).")
    var file: String?

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let registry = policies.registry
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let url: URL
        if let file {
            url = URL(fileURLWithPath: file, relativeTo: current).standardizedFileURL
        } else {
            url = ScanRoot.locate(for: current).appendingPathComponent(PolicyLoader.repositoryFileName)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CommandFailure(message: "no \(PolicyLoader.repositoryFileName) in \(url.deletingLastPathComponent().path); give the policy file to check")
            }
        }
        let policy: Policy
        let rules: [ConfiguredRule]
        do {
            policy = try policies.load(root: url.deletingLastPathComponent(), explicitFile: url)
            rules = try policy.configuredRules(registry: registry)
        } catch {
            throw CommandFailure(message: String(describing: error))
        }
        let settings = policy.settings
        let contracts = settings.layerContracts.count + settings.forbiddenContracts.count + settings.independenceContracts.count
        console.write(
            "\(file ?? url.path): ok: \(rules.count) of \(registry.detectors.count) rules enabled, \(contracts) contract\(contracts == 1 ? "" : "s"), \(policy.overrides.count) override\(policy.overrides.count == 1 ? "" : "s")\n")
        return ExitCode32.clean
    }
}
