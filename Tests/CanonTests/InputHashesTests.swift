@testable import Canon
import CanonCore
import CanonEngine
import CanonPolicy
import Testing

/// The rules that hash what they read of a file's facts (`Detector.factsHash`) hash each file of their
/// examples alike after an import of a module outside the project is appended, once or twice (none reads it);
/// the rules that read a file's imports hash it differently after two outside modules are bound to one name,
/// and those that read top-level classes after a class is appended.
@Suite struct InputHashesTests {
    @Test func anAppendedOutsideImportChangesNoHashAndAnAppendedClassChangesThoseThatReadClasses() throws {
        let registry = BuiltinRules.registry()
        let rules = try PolicyLoader(registry: registry).defaultPolicy().configuredRules(registry: registry)
        let readingClasses: Set<String> = ["duplicate_definition", "fragmented_import", "deprecated_import", "module_instance", "shared_class_state"]
        let readingImports: Set<String> = ["fragmented_import", "deprecated_import"]
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
                let (_, again) = facts(appending: "\nimport zz_outside_module\nimport zz_outside_module\n")
                let (_, twoModules) = facts(appending: "\nimport zz_outside_a as zz\nimport zz_outside_b as zz\n")
                let (_, classing) = facts(appending: "\nclass ZzAppended:\n    pass\n")
                for (offset, file) in files.enumerated() {
                    guard let hash = rule.factsHash(of: file, in: context) else { continue }
                    hashing.insert(rule.description.id)
                    let place = "\(rule.description.id): \(file.path)"
                    #expect(rule.factsHash(of: importing[offset], in: context) == hash, "\(place), an import appended")
                    #expect(rule.factsHash(of: again[offset], in: context) == hash, "\(place), an import appended twice")
                    // Two modules bound to one name: which one the name holds depends on the order.
                    let rebound = rule.factsHash(of: twoModules[offset], in: context)
                    #expect((rebound != hash) == readingImports.contains(rule.description.id), "\(place), two imports bound to one name")
                    let appended = rule.factsHash(of: classing[offset], in: context)
                    #expect((appended != hash) == readingClasses.contains(rule.description.id), "\(place), a class appended")
                }
            }
        }
        #expect(hashing == readingClasses.union(["import_cycle", "concept_footprint"]))
    }
}
