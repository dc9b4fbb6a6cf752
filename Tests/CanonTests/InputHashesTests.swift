@testable import Canon
import CanonCore
import CanonEngine
import CanonPolicy
import Testing

/// The rules that hash what they read of a file's facts (`Detector.factsHash`) hash each file of their
/// examples alike after an import of a module outside the project is appended (none reads it), and the rules
/// that read top-level classes hash it differently after a class is appended.
@Suite struct InputHashesTests {
    @Test func anAppendedOutsideImportChangesNoHashAndAnAppendedClassChangesThoseThatReadClasses() throws {
        let registry = BuiltinRules.registry()
        let rules = try PolicyLoader(registry: registry).defaultPolicy().configuredRules(registry: registry)
        let readingClasses: Set<String> = ["duplicate_definition", "fragmented_import", "deprecated_import", "module_instance", "shared_class_state"]
        var hashing: Set<String> = []
        for rule in rules {
            for example in rule.description.triggeringExamples + rule.description.nonTriggeringExamples {
                func facts(appending tail: String) -> (DetectionContext, [FileFacts]) {
                    let sources = example.files.map { file in
                        let text = ExampleRunner.stripMarkers(file.source).0
                        return (file.path, Array((file.path.hasSuffix(".py") ? text + tail : text).utf8))
                    }
                    let index = Engine.index(sources: sources, frontEnds: registry.frontEnds).index
                    return (DetectionContext(index: index), index.files.filter { $0.path.hasSuffix(".py") })
                }
                let (context, files) = facts(appending: "")
                let (_, importing) = facts(appending: "\nimport zz_outside_module\n")
                let (_, classing) = facts(appending: "\nclass ZzAppended:\n    pass\n")
                for (offset, file) in files.enumerated() {
                    guard let hash = rule.factsHash(of: file, in: context) else { continue }
                    hashing.insert(rule.description.id)
                    let place = "\(rule.description.id): \(file.path)"
                    #expect(rule.factsHash(of: importing[offset], in: context) == hash, "\(place), an import appended")
                    let appended = rule.factsHash(of: classing[offset], in: context)
                    #expect((appended != hash) == readingClasses.contains(rule.description.id), "\(place), a class appended")
                }
            }
        }
        #expect(hashing == readingClasses.union(["import_cycle"]))
    }
}
