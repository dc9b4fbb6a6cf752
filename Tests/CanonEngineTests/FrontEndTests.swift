import Canon
import Foundation
import Testing

/// A front end for `.rules` files, each line `type NAME`: small enough to show that the engine takes any
/// `FrontEnd`, names modules through it, and reports what it cannot read.
struct LineFrontEnd: FrontEnd {
    var language: SourceLanguage { .python }

    func handles(path: String) -> Bool { path.hasSuffix(".rules") }

    func reader(for project: ProjectLayout) -> any SourceReader {
        Reader(fileCount: project.paths.filter(handles(path:)).count)
    }

    struct Reader: SourceReader {
        let fileCount: Int

        func facts(source: [UInt8], path: String) throws(SourceError) -> FileFacts {
            var facts = FileFacts(path: path, module: "m\(fileCount).\(path.split(separator: ".")[0])", isPackage: false, language: .python)
            for (offset, line) in String(decoding: source, as: UTF8.self).split(separator: "\n").enumerated() {
                guard line.hasPrefix("type ") else { throw SourceError(line: offset + 1, column: 1, message: "expected 'type NAME'") }
                let range = SourceRange(line: offset + 1, column: 1, endLine: offset + 1, endColumn: line.count + 1)
                facts.classes.append(
                    ClassFact(
                        name: String(line.dropFirst(5)), qualifiedName: String(line.dropFirst(5)), bases: [], keywords: [],
                        decorators: [], range: range, bodyRange: range, isTopLevel: true))
            }
            return facts
        }
    }
}

@Suite struct FrontEndTests {
    func rules(_ registry: Registry) throws -> [ConfiguredRule] {
        try PolicyLoader(registry: registry).defaultPolicy().configuredRules(registry: registry)
    }

    @Test func theEngineDefaultReadsPythonOnlyAndPassesOverSwiftSilently() throws {
        let tree = try Tree([
            "app/user.py": "class User:\n    pass\n", "Sources/App/User.swift": "struct User {}\n",
            "Sources/Legacy/User.swift": "struct User {}\n",
        ])
        defer { tree.remove() }
        let registry = try Registry(BuiltinRules.detectors)
        let policy = try PolicyLoader(registry: registry).defaultPolicy()
        let result = try Engine.scan(ScanRequest(root: tree.url, policy: policy, rules: try rules(registry)))
        #expect(result.fileCount == 1)
        #expect(result.skipped.isEmpty)
        #expect(result.findings.isEmpty)
    }

    @Test func withTheSwiftFrontEndSwiftTargetsAreModules() throws {
        let tree = try Tree([
            "app/user.py": "class User:\n    pass\n", "Sources/App/User.swift": "struct User {}\n",
            "Sources/Legacy/User.swift": "struct User {}\n",
        ])
        defer { tree.remove() }
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).defaultPolicy()
        let result = try Engine.scan(
            ScanRequest(root: tree.url, policy: policy, rules: try rules(registry), frontEnds: registry.frontEnds))
        #expect(result.fileCount == 3)
        #expect(result.findings.map(\.location.path) == ["Sources/App/User.swift", "Sources/Legacy/User.swift"])
        #expect(result.findings.map(\.message).first == "struct 'User' is also defined in Legacy; keep one definition and import it")
    }

    @Test func anyFrontEndPlugsIn() throws {
        let registry = try Registry(BuiltinRules.detectors, frontEnds: [LineFrontEnd()])
        let result = Engine.scan(
            sources: [("a.rules", Array("type Order\n".utf8)), ("b.rules", Array("type Order\n".utf8)), ("c.rules", Array("oops\n".utf8)), ("d.py", Array("class Order:\n    pass\n".utf8))],
            rules: try rules(registry), frontEnds: registry.frontEnds)
        #expect(result.findings.map(\.subject) == ["m3.a.Order", "m3.b.Order"])
        #expect(result.errors == [FileError(path: "c.rules", line: 1, column: 1, message: "expected 'type NAME'")])
        #expect(result.fileCount == 3)
    }
}
