@testable import Canon
import CanonCore
import CanonEngine
import CanonPolicy
import Testing

/// The rules that hash what they read of a file (`Detector.inputHashes`) hash each file of their examples
/// alike whether asked for every file at once (the way a full check asks) or for that file alone (the way a
/// check after an edit asks for the edit's reach).
@Suite struct InputHashesTests {
    @Test func aFileHashesAlikeAskedAloneOrWithEveryFile() throws {
        let registry = BuiltinRules.registry()
        let rules = try PolicyLoader(registry: registry).defaultPolicy().configuredRules(registry: registry)
        var hashing: Set<String> = []
        for rule in rules {
            for example in rule.description.triggeringExamples + rule.description.nonTriggeringExamples {
                let sources = example.files.map { ($0.path, Array(ExampleRunner.stripMarkers($0.source).0.utf8)) }
                let context = DetectionContext(index: Engine.index(sources: sources, frontEnds: registry.frontEnds).index)
                let offsets = Array(context.index.files.indices)
                guard let all = rule.inputHashes(of: offsets, in: context) else { continue }
                hashing.insert(rule.description.id)
                #expect(all.count == offsets.count)
                for offset in offsets {
                    #expect(rule.inputHashes(of: [offset], in: context) == [all[offset]], "\(rule.description.id): \(context.index.files[offset].path)")
                }
            }
        }
        #expect(hashing == ["duplicate_definition", "import_cycle"])
    }
}
