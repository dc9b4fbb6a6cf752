import Foundation
import PackagePlugin

/// Scans each target it is applied to during `swift build`: Canon indexes the whole package (so a type
/// declared in two targets is seen from both) and reports the findings in this target's files as compiler
/// diagnostics (`path:line:col: warning: message [rule]`). Findings of `error` severity fail the build; the
/// package's `.canon.yml` decides severities.
@main
struct CanonBuildToolPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard target is SourceModuleTarget else { return [] }
        let canon = try context.tool(named: "canon")
        let package = context.package.directoryURL
        var inputs: [URL] = [canon.url]
        for case let module as SourceModuleTarget in context.package.targets {
            inputs += module.sourceFiles.filter { $0.type == .source }.map(\.url)
        }
        let policy = package.appendingPathComponent(".canon.yml")
        if FileManager.default.fileExists(atPath: policy.path) { inputs.append(policy) }
        // The command's output is a Swift file holding only a comment: the target compiles it, so the scan
        // runs whenever an input changed, on a clean build too. It is written only when the scan passes, so
        // a failing scan runs again on the next build.
        let stamp = context.pluginWorkDirectoryURL.appendingPathComponent("CanonScanned.swift")
        let script = #"out="$1"; shift; "$@" || exit $?; printf '// Canon scanned this target.\n' > "$out""#
        return [
            .buildCommand(
                displayName: "Canon: scanning \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [
                    "-c", script, "canon-build", stamp.path, canon.url.path, "scan", target.directoryURL.path,
                    "--fail-on", "error", "--absolute-paths", "--quiet",
                ],
                inputFiles: inputs,
                outputFiles: [stamp])
        ]
    }
}
