import Canon
import Testing

/// The Swift front end's facts, one kind at a time, on small sources.
@Suite struct SwiftFrontEndTests {
    /// The facts of one file at `path`, in a project of `others` besides it.
    func facts(_ source: String, path: String = "Sources/App/File.swift", others: [String: String] = [:]) throws -> FileFacts {
        var project = others
        project[path] = source
        let files = project
        let layout = ProjectLayout(paths: files.keys.sorted(), read: { files[$0].map { Array($0.utf8) } })
        return try SwiftLanguage().reader(for: layout).facts(source: Array(source.utf8), path: path)
    }

    @Test func importsCarryAttributesSymbolsAndConditions() throws {
        let file = try facts(
            """
            import Foundation
            @testable import App
            @_exported import struct Models.User
            public import NIOCore.Channel
            #if canImport(Glibc)
            import Glibc
            #endif

            """)
        let summary = file.imports.map { "\($0.form.rawValue) \($0.module) \($0.name ?? "-") \($0.attributes) \($0.kind.rawValue)" }
        #expect(
            summary == [
                "import Foundation - [] runtime", "import App - [\"testable\"] runtime",
                "from Models User [\"_exported\"] runtime", "import NIOCore.Channel - [] runtime",
                "import Glibc - [] fallback",
            ])
        #expect(file.imports.map(\.isReexport) == [false, false, true, false, false])
        #expect(file.imports[2].range == SourceRange(line: 3, column: 26, endLine: 3, endColumn: 37))
        #expect(file.imports[3].statementRange == SourceRange(line: 4, column: 1, endLine: 4, endColumn: 30))
    }

    @Test func typeDeclarationsHaveKindsQualifiedNamesAndStatementRanges() throws {
        let file = try facts(
            """
            @MainActor
            public final class Manager: Base, Sendable {
                struct Config {}
            }
            extension Manager {
                enum Mode { case a }
            }
            protocol Store {}
            actor Cache {}
            typealias Legacy = Manager
            func build() {
                struct Local {}
            }
            #if os(Linux)
            struct Clock {}
            #endif

            """)
        let summary = file.classes.map { "\($0.kind.rawValue) \($0.qualifiedName) \($0.isTopLevel ? "top" : "nested") \($0.bases)" }
        #expect(
            summary == [
                "class Manager top [\"Base\", \"Sendable\"]", "struct Manager.Config nested []", "enum Manager.Mode nested []",
                "protocol Store top []", "actor Cache top []", "typealias Legacy top [\"Manager\"]",
                "struct build.<locals>.Local nested []", "struct Clock top []",
            ])
        let manager = try #require(file.classes.first)
        #expect(manager.range == SourceRange(line: 2, column: 1, endLine: 2, endColumn: 27))
        #expect(manager.decorators == ["MainActor"])
        #expect(manager.bodyRange.endLine == 4)
    }

    @Test func fileScopeAndStaticStoredPropertiesAreState() throws {
        let file = try facts(
            """
            var counter = 0
            let names: [String] = []
            nonisolated(unsafe) var cache = [String: Int]()
            var computed: Int { counter + 1 }
            final class Manager {
                static let shared = Manager()
                static var registry: [String: Int] = [:] {
                    didSet { print(registry) }
                }
                static var derived: Int { 1 }
                var instance = 0
                func run() {
                    var local = 1
                    local += 1
                }
            }

            """)
        #expect(file.assignments.map(\.name) == ["counter", "names", "cache"])
        #expect(file.assignments.map(\.isConstant) == [false, true, false])
        #expect(file.assignments.map(\.value) == [.immutableLiteral, .immutableLiteral, .mutableLiteral])
        #expect(file.assignments[0].range == SourceRange(line: 1, column: 5, endLine: 1, endColumn: 12))
        #expect(file.assignments[1].annotation == "[String]")
        let attributes = file.classAttributes.map { "\($0.className).\($0.name) \($0.isConstant ? "let" : "var") \($0.valueText)" }
        #expect(attributes == ["Manager.shared let Manager()", "Manager.registry var [:]"])
        #expect(file.classAttributes[0].value == .call("Manager"))
        #expect(file.classAttributes[1].value == .mutableLiteral)
        #expect(file.classAttributes[0].range == SourceRange(line: 6, column: 5, endLine: 6, endColumn: 34))
    }

    @Test func availabilityDeprecationsAreRecorded() throws {
        let file = try facts(
            """
            @available(*, deprecated, renamed: "Client")
            public struct LegacyClient {
                @available(macOS, deprecated: 13, message: "use send(_:)")
                func post() {}
                @available(*, unavailable)
                func gone() {}
            }

            """)
        let summary = file.deprecatedDeclarations.map { "\($0.symbol) \($0.message ?? "-") \($0.renamed ?? "-") \($0.range.line):\($0.range.column)" }
        #expect(summary == ["LegacyClient - Client 2:1", "LegacyClient.post use send(_:) - 4:5"])
    }

    @Test func suppressionCommentsAreRead() throws {
        let file = try facts(
            """
            // canon: ignore-file[DUP001]
            struct User {} // canon: ignore[duplicate_definition, singleton_class] -- kept for the old API
            /* canon: ignore */
            // canon is great, says this comment

            """)
        #expect(file.suppressions.map(\.rules) == [["DUP001"], ["duplicate_definition", "singleton_class"], []])
        #expect(file.suppressions.map(\.isFileLevel) == [true, false, false])
        #expect(file.suppressions[1].reason == "kept for the old API")
        #expect(file.suppressions[1].range == SourceRange(line: 2, column: 16, endLine: 2, endColumn: 95))
    }

    @Test func columnsCountCodePoints() throws {
        let file = try facts("let café = \"é\"; struct Ünïcode {}\n")
        #expect(file.assignments[0].range == SourceRange(line: 1, column: 5, endLine: 1, endColumn: 9))
        #expect(file.classes[0].range == SourceRange(line: 1, column: 17, endLine: 1, endColumn: 31))
    }

    @Test func namesLoseTheirBackticksAndStatementBlocksAreLocal() throws {
        let file = try facts(
            """
            enum Joiner { enum `Type` {} }
            if #available(macOS 14, *) {
                struct Object { struct Part {} }
            }

            """)
        #expect(file.classes.map(\.qualifiedName) == ["Joiner", "Joiner.Type", "<locals>.Object", "<locals>.Object.Part"])
        #expect(file.classes.map(\.isTopLevel) == [true, false, false, false])
    }

    @Test func codeForOtherCompilersInIfBranchesIsTolerated() throws {
        let file = try facts(
            """
            #if swift(<3)
            public func describe(closure: ContextType -> ()) {}
            #else
            public func describe(closure: (ContextType) -> Void) {}
            #endif
            struct Kept {}

            """)
        #expect(file.classes.map(\.name) == ["Kept"])
    }

    @Test func syntaxErrorsNameTheirPlace() throws {
        #expect(throws: SourceError.self) { try facts("struct User {\n    let id: Int\n") }
        let error = #expect(throws: SourceError.self) { try facts("struct A {}\nlet x = = 3\n") }
        #expect(error?.line == 2)
        #expect(error?.message.contains("fix the syntax") == true)
    }

    @Test func modulesAreTargetsFromTheManifestOrTheConventionalFolders() throws {
        let manifest = """
            // swift-tools-version: 6.0
            import PackageDescription
            let package = Package(
                name: "Shop",
                targets: [
                    .target(name: "Core", path: "Code/Core"),
                    .executableTarget(name: "shop"),
                    .testTarget(name: "CoreTests", dependencies: ["Core"]),
                ]
            )
            """
        let others = ["Package.swift": manifest, "Sources/shop/main.swift": "", "Tests/CoreTests/A.swift": ""]
        #expect(try facts("", path: "Code/Core/Sub/Model.swift", others: others).module == "Core")
        #expect(try facts("", path: "Sources/shop/main.swift", others: others).module == "shop")
        #expect(try facts("", path: "Tests/CoreTests/A.swift", others: others).module == "CoreTests")
        #expect(try facts("", path: "Sources/Unlisted/B.swift", others: others).module == "Unlisted")
        #expect(try facts("", path: "Scripts/gen.swift", others: others).module == "Scripts.gen")
        #expect(try facts("", path: "Package.swift", others: others).module == "Package")
        let nested = ["Examples/Demo/Package.swift": "let package = Package(name: \"Demo\", targets: [.target(name: \"Demo\", path: \".\")])"]
        #expect(try facts("", path: "Examples/Demo/Main.swift", others: nested).module == "Demo")
        #expect(try facts("", path: "vendor/Lib/Sources/Kit/K.swift").module == "Kit")
        #expect(try facts("", path: "Examples/echo/Sources/Client.swift").module == "echo")
        #expect(SwiftLanguage().handles(path: "Sources/App/A.swift"))
        #expect(!SwiftLanguage().handles(path: "Sources/App/App.docc/Resources/step1.swift"))
    }
}
