import Canon
import Testing

@Suite struct ContractSectionsTests {
    let loader = PolicyLoader(registry: BuiltinRules.registry())

    func failure(_ text: String) -> String {
        do {
            _ = try loader.load(text: text, file: "p.yml")
            return "no error"
        } catch { return error.description }
    }

    @Test func contractsAreReadWithTheirMarks() throws {
        let settings = try loader.load(text: """
            layers:
              - name: architecture
                containers: [shop.*]
                layers: ['api | admin', 'services : tasks', (core)]
                exhaustive: true
                exhaustive_ignores: [tests]
                except: ['shop.*.core -> shop.*.api']
            forbidden:
              - name: no-legacy
                from: [app]
                to: [app.legacy, requests]
                message: use app.websocket
                indirect: true
            independence:
              - name: plugins
                modules: [plugins.*]
                except: []
            """, file: "p.yml").settings
        let layers = try #require(settings.layerContracts.first)
        #expect(layers.name == "architecture" && layers.exhaustive && layers.exhaustiveIgnores == ["tests"])
        #expect(layers.containers.map(\.pattern) == ["shop.*"])
        #expect(layers.layers.map { $0.members.map(\.name) } == [["api", "admin"], ["services", "tasks"], ["core"]])
        #expect(layers.layers.map(\.isIndependent) == [true, false, true])
        #expect(layers.layers[2].members[0].isOptional)
        #expect(layers.layers[0].mark?.line == 4)
        #expect(layers.exceptions.map(\.text) == ["shop.*.core -> shop.*.api"])
        #expect(layers.exceptions.first?.mark == ConfigMark(file: "p.yml", line: 7, column: 14))
        let forbidden = try #require(settings.forbiddenContracts.first)
        #expect(forbidden.to.map(\.pattern) == ["app.legacy", "requests"] && forbidden.indirect && forbidden.message == "use app.websocket")
        #expect(settings.independenceContracts.map(\.name) == ["plugins"])
    }

    @Test func aLaterPolicyLayerReplacesAContractOfTheSameName() throws {
        let policy = try loader.load(text: """
            forbidden:
              - {name: a, from: [x], to: [y]}
              - {name: b, from: [x], to: [z]}
            """)
        #expect(policy.settings.forbiddenContracts.map(\.name) == ["a", "b"])
    }

    @Test func contractErrorsNameTheLineAndWhatToDo() {
        #expect(failure("layers:\n  - name: a\n    layers: [x]\n    exhaustiv: true\n").contains("p.yml:4:5: unknown key 'exhaustiv' in 'layers[0]'; did you mean 'exhaustive'?"))
        #expect(failure("layers:\n  - layers: [x]\n").contains("'layers[0].name' is required"))
        #expect(failure("layers:\n  - name: a\n    layers: [x, x.y]\n").contains("contain one another"))
        #expect(failure("layers:\n  - name: a\n    layers: [x, 'y | x']\n").contains("repeats 'x'"))
        #expect(failure("layers:\n  - name: a\n    layers: ['x | y : z']\n").contains("mixes '|' and ':'"))
        #expect(failure("layers:\n  - name: a\n    layers: ['x.*']\n").contains("has a wildcard"))
        #expect(failure("layers:\n  - name: a\n    layers: [x]\n    exhaustive: true\n").contains("p.yml:4:17: 'layers[0].exhaustive' needs 'containers'"))
        #expect(failure("layers:\n  - name: a\n    layers: []\n").contains("is empty"))
        #expect(failure("layers: {}\n").contains("'layers' must be a list of contracts"))
        #expect(failure("forbidden:\n  - name: f\n    from: [a]\n    to: [b]\n    except: [a.b]\n").contains("p.yml:5:14: 'forbidden[0].except[0]' is not an import: 'a.b' is not of the form 'importer -> imported'"))
        #expect(failure("forbidden:\n  - name: f\n    from: [a]\n    to: []\n").contains("'forbidden[0].to' is empty"))
        #expect(failure("forbidden:\n  - name: f\n    from: [a..b]\n    to: [c]\n").contains("p.yml:3:12"))
        #expect(failure("independence:\n  - {name: i, modules: [a]}\n  - {name: i, modules: [b]}\n").contains("is used twice"))
        #expect(failure("independence:\n  - name: i\n    module: [a]\n").contains("did you mean 'modules'?"))
    }
}
