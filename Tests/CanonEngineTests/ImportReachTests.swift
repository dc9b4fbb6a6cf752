@testable import CanonCore
import Canon
import CanonEngine
import CanonPython
import Testing

/// `ProjectIndex.filesReaching(_:)`: the files whose names may resolve differently after an edit.
@Suite struct ImportReachTests {
    /// A package that re-exports a class, an attribute walk into a subpackage, a star import and a name bound
    /// twice (`try`/`except`) that their users read through, and a file that reads nothing of the project.
    static let project: [String: String] = [
        "app/__init__.py": "from .core import Engine\n",
        "app/core.py": "class Engine:\n    pass\n",
        "app/util.py": "X = 1\n",
        "app/user.py": "from app import Engine\n",
        "app/walker.py": "import app.sub\n\nvalue = app.sub.deep.Thing\n",
        "app/sub/__init__.py": "",
        "app/sub/deep.py": "class Thing:\n    pass\n",
        "app/star.py": "from app.util import *\n",
        "app/star_user.py": "from app.star import X\n",
        "app/alt.py": "try:\n    from app.util import X\nexcept ImportError:\n    X = 2\n",
        "app/alt_user.py": "from app.alt import X\n",
        "app/by_name.py": "from app import sub\n",
        "app/far.py": "import os\n",
        "Package.swift": "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: \"P\", targets: [.target(name: \"Store\")])\n",
        "Sources/Store/Order.swift": "public struct Order {}\n",
    ]

    private func reach(_ edited: Set<String>) -> Set<String>? {
        let (_, index) = Engine.index(
            sources: Self.project.map { ($0.key, Array($0.value.utf8)) }, frontEnds: BuiltinRules.frontEnds)
        return index.filesReaching(edited)
    }

    @Test func aReExportedDefinitionReachesThePackageAndWhoImportsItThroughThePackage() {
        #expect(reach(["app/core.py"]) == ["app/core.py", "app/__init__.py", "app/user.py"])
    }

    @Test func aSubmoduleReachesAttributeWalksAndImportsOfItsNameFromItsPackage() {
        #expect(reach(["app/sub/deep.py"]) == ["app/sub/deep.py", "app/walker.py", "app/by_name.py"])
    }

    @Test func starImportsAndNamesBoundTwiceCarryAnEditToTheirReaders() {
        // `star` and `alt` read `util` without a step in their users' chains; both are taken as edited.
        #expect(reach(["app/util.py"]) == [
            "app/util.py", "app/star.py", "app/star_user.py", "app/alt.py", "app/alt_user.py",
        ])
    }

    @Test func aModuleThatStarImportsOneTakenAsEditedIsTakenAsEditedToo() {
        // After `X` left `app.m`: `app.c` finds it in none of its star imports any more, and `app.d`'s resolution
        // ends at `app.c` (missing), naming no edited module. `app.c`, which comes before `app.z` in the walk,
        // star-imports `app.z`, itself taken as edited for its star import of `app.m`.
        let (_, index) = Engine.index(sources: [
            ("app/__init__.py", []), ("app/m.py", Array("Y = 1\n".utf8)), ("app/z.py", Array("from app.m import *\n".utf8)),
            ("app/c.py", Array("from app.m import Y\nfrom app.z import *\n".utf8)), ("app/d.py", Array("from app.c import X\n".utf8)),
        ])
        #expect(index.filesReaching(["app/m.py"]) == ["app/m.py", "app/z.py", "app/c.py", "app/d.py"])
    }

    @Test func aPackageReachesEveryImportOfAModuleBelowIt() {
        #expect(reach(["app/sub/__init__.py"]) == ["app/sub/__init__.py", "app/walker.py", "app/by_name.py"])
        let all = reach(["app/__init__.py"]) ?? []
        #expect(all.isSuperset(of: ["app/user.py", "app/walker.py", "app/by_name.py", "app/star.py", "app/alt_user.py"]))
        #expect(!all.contains("app/far.py"))
    }

    @Test func aFileThatNothingImportsReachesOnlyItself() {
        #expect(reach(["app/far.py"]) == ["app/far.py"])
        #expect(reach([]) == [])
    }

    @Test func anEditedSwiftFileOrAFileTheIndexLacksReachesEverything() {
        #expect(reach(["Sources/Store/Order.swift"]) == nil)
        #expect(reach(["app/gone.py"]) == nil)
    }

    @Test(arguments: [
        ("a.b", "a", "b", true), ("a.b.c", "a", "b", true), ("a.bc", "a", "b", false), ("a.b", "a", "bc", false),
        ("a", "a", "b", false), ("ab.c", "a", "b", false), ("x.a.b", "a", "b", false),
    ])
    func aModuleIsUnderANameOfAPackageOnlyAtDots(module: String, package: String, name: String, expected: Bool) {
        #expect(ImportReach.isModule(module, within: package, name) == expected)
    }

    /// Looking through the resolutions of only the files near the edited ones (`ImportReach.near`) finds what
    /// looking through every file's finds: for each file of the project edited on its own, at each of a run of
    /// random changes to what its modules bind and import.
    @Test(arguments: Array(UInt64(1)...UInt64(6))) func theFilesNearAnEditAreTheOnlyOnesItsReachCanTake(seed: UInt64) {
        var differences = 0
        for (step, facts) in SymbolTableUpdateTests.appendedStates(seed: seed, count: 25) {
            let near = ProjectIndex(files: facts, deferringSymbolImports: true)
            let every = ProjectIndex(files: facts)
            for path in facts.map(\.path) {
                let (found, expected) = (near.filesReaching([path]), every.filesReaching([path], nearLimit: 0))
                #expect(found == expected, "\(path), seed \(seed), step \(step)")
                if found != expected { differences += 1 }
            }
            #expect(near.symbols.deferred != nil, "seed \(seed), step \(step)")
        }
        #expect(differences == 0)
    }

    /// An edit of a file that no other file comes near reaches no other file, and leaves every file's symbol
    /// imports unresolved but its own; one that many come near works them all out.
    @Test func aFileNothingComesNearLeavesTheOtherFilesImportsUnresolved() {
        let facts = Self.project.filter { $0.key.hasSuffix(".py") }.compactMap { entry in
            try? CanonPython.PythonFrontEnd.facts(
                source: Array(entry.value.utf8), path: entry.key,
                module: String(entry.key.dropLast(3)).replacingOccurrences(of: "/", with: ".").replacingOccurrences(of: ".__init__", with: ""),
                isPackage: entry.key.hasSuffix("__init__.py"), isStub: false)
        }
        let index = ProjectIndex(files: facts, deferringSymbolImports: true)
        #expect(index.filesReaching(["app/far.py"]) == ["app/far.py"])
        #expect(index.symbols.deferred?.whole.ifBuilt == nil)
        #expect(index.filesReaching(["app/core.py"], nearLimit: 1) == ["app/core.py", "app/__init__.py", "app/user.py"])
        #expect(index.symbols.deferred?.whole.ifBuilt != nil)
    }
}
