import CanonCore
import Testing

@Suite struct ProjectIndexTests {
    func file(_ path: String, _ module: String, _ language: SourceLanguage, stub: Bool = false, classes: [String]) -> FileFacts {
        var facts = FileFacts(path: path, module: module, isPackage: false, language: language, isStub: stub)
        let range = SourceRange(line: 1, column: 1, endLine: 1, endColumn: 2)
        facts.classes = classes.map {
            ClassFact(name: $0, qualifiedName: $0, bases: [], keywords: [], decorators: [], range: range, bodyRange: range, isTopLevel: true)
        }
        return facts
    }

    /// Sites are hashed by path and range alone, and still equal only when every field is.
    @Test func definitionSitesAreEqualOnlyWhenEveryFieldIs() {
        let range = SourceRange(line: 3, column: 1, endLine: 3, endColumn: 9)
        let site = DefinitionSite(module: "app.models", path: "app/models.py", name: "User", kind: .class, range: range)
        let others = [
            DefinitionSite(module: "app.other", path: "app/models.py", name: "User", kind: .class, range: range),
            DefinitionSite(module: "app.models", path: "app/models.py", name: "Other", kind: .class, range: range),
            DefinitionSite(module: "app.models", path: "app/models.py", name: "User", kind: .function, range: range),
            DefinitionSite(module: "app.models", path: "app/other.py", name: "User", kind: .class, range: range),
            DefinitionSite(module: "app.models", path: "app/models.py", name: "User", kind: .class, range: .at(line: 4, column: 1)),
        ]
        #expect(site == DefinitionSite(module: "app.models", path: "app/models.py", name: "User", kind: .class, range: range))
        for other in others { #expect(site != other) }
        #expect(Set(others + [site, site]).count == others.count + 1)
    }

    @Test func everyFileOfASwiftModuleStandsForIt() {
        let index = ProjectIndex(files: [
            file("Sources/App/B.swift", "App", .swift, classes: ["Second"]),
            file("Sources/App/A.swift", "App", .swift, classes: ["First"]),
        ])
        #expect(index.moduleFiles.map(\.path) == ["Sources/App/A.swift", "Sources/App/B.swift"])
        #expect(index.file(forModule: "App")?.path == "Sources/App/A.swift")
        #expect(index.binding(of: "Second", in: "App") != nil)
        #expect(index.definitions(of: "First").map(\.module) == ["App"])
    }

    @Test func aStubBesideItsSourceIsTheSameModule() {
        let index = ProjectIndex(files: [
            file("pkg/mod.pyi", "pkg.mod", .python, stub: true, classes: ["Stubbed"]),
            file("pkg/mod.py", "pkg.mod", .python, classes: ["Real"]),
        ])
        #expect(index.moduleFiles.map(\.path) == ["pkg/mod.py"])
        #expect(index.definitions(of: "Stubbed").isEmpty)
        #expect(index.binding(of: "Real", in: "pkg.mod") != nil)
    }

    @Test func anIndexBuiltOnSeveralThreadsEqualsOneBuiltOnOne() {
        // 300 modules (enough for the default to take every core), each defining, re-binding and importing
        // names that other modules define too.
        let files = (0..<300).map { n in
            FactsBuilder("pkg\(n % 7)/m\(n).py")
                .classes("Shared", "Own\(n)")
                .from("pkg\((n + 1) % 7).m\((n + 1) % 300)", "Shared", "Own\((n + 1) % 300)")
                .plain("os")
                .assign("Own\(n)", .immutableLiteral)
                .facts
        }
        let one = ProjectIndex(files: files, jobs: 1)
        for jobs in [2, 3, nil] {
            let several = ProjectIndex(files: files, jobs: jobs)
            #expect(several.definedNames == one.definedNames)
            for name in one.definedNames { #expect(several.definitions(of: name) == one.definitions(of: name), "\(name)") }
            for file in one.moduleFiles {
                for name in ["Shared", "os", "Own0", "Own1", "Own\(file.module.split(separator: "m").last ?? "")"] {
                    #expect(several.binding(of: name, in: file.module) == one.binding(of: name, in: file.module))
                }
            }
            #expect(several.moduleFiles.map { $0.path } == one.moduleFiles.map { $0.path })
        }
    }
}
