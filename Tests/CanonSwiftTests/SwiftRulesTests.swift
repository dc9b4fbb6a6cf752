import Canon
import Testing

/// Which rules read Swift, on small packages in memory.
@Suite struct SwiftRulesTests {
    let scanner = CanonScanner()

    func findings(_ files: [String: String], policy: String = "", select: [String]) throws -> [String] {
        let result = try scanner.scan(files: files, policy: try scanner.policy(text: policy + "version: 1\n"), select: select)
        #expect(result.errors.isEmpty)
        return result.findings.map { "\($0.rule) \($0.location.path):\($0.location.range.line):\($0.location.range.column)" }
    }

    @Test func symbolImportsOfOtherFilesOfATargetAreNotUnresolved() throws {
        let files = [
            "Sources/Lib/A.swift": "public struct Thing {}\n",
            "Sources/Lib/B.swift": "public enum Other {}\n",
            "Sources/App/Main.swift": "import struct Lib.Thing\n@_exported import enum Lib.Other\nimport Foundation\n",
        ]
        #expect(try findings(files, select: ["unresolved_import", "fragmented_import", "fallback_import"]).isEmpty)
    }

    @Test func deprecatedModulesAndLayersApplyToTargets() throws {
        let files = [
            "Sources/App/A.swift": "import LegacyKit\nimport Core\n",
            "Sources/LegacyKit/L.swift": "public struct L {}\n",
            "Sources/Core/C.swift": "import App\n",
        ]
        let policy = "deprecated:\n  - module: LegacyKit\n    use: Core\nlayers:\n  - name: app\n    layers: [App, Core]\n"
        #expect(
            try findings(files, policy: policy, select: ["deprecated_import", "layer_violation"]) == [
                "deprecated_import Sources/App/A.swift:1:8", "layer_violation Sources/Core/C.swift:1:8",
            ])
    }
}
