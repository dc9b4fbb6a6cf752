import Foundation
import PackagePlugin

/// `swift package canon [--target NAME]... [scan options]`: runs `canon scan` on the package, reporting the
/// findings in the named targets (every target when none is named). The whole package is indexed either way,
/// with the package's `.canon.yml`.
@main
struct CanonCommandPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let targetNames = extractor.extractOption(named: "target")
        let paths: [String]
        if targetNames.isEmpty {
            paths = [context.package.directoryURL.path]
        } else {
            paths = try context.package.targets(named: targetNames).map(\.directoryURL.path)
        }
        let canon = try context.tool(named: "canon")
        let process = Process()
        process.executableURL = canon.url
        process.arguments = ["scan"] + paths + extractor.remainingArguments
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Diagnostics.error("canon scan exited with status \(process.terminationStatus)")
            // The plugin's own exit status is what `swift package` returns, so CI sees findings as a failure.
            exit(process.terminationStatus)
        }
    }
}
