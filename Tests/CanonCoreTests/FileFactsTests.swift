import Testing

@testable import CanonCore

/// `FileFacts` keeps its facts behind one reference shared by copies: a change to one copy must never show in
/// another.
@Suite struct FileFactsTests {
    private static func site(_ line: Int) -> SourceRange { .at(line: line, column: 1) }

    private static func importFact(_ module: String, line: Int) -> ImportFact {
        ImportFact(
            form: .plain, module: module, writtenModule: module, level: 0, name: nil, alias: nil, kind: .runtime,
            range: site(line), statementRange: site(line))
    }

    private static func function(_ name: String, line: Int) -> FunctionFact {
        FunctionFact(
            name: name, qualifiedName: name, className: nil, decorators: [], parameters: [], isAsync: false,
            isTopLevel: true, range: site(line), bodyRange: site(line))
    }

    private static func facts() -> FileFacts {
        var facts = FileFacts(path: "pkg/a.py", module: "pkg.a", isPackage: false, language: .python)
        facts.imports = [importFact("os", line: 1)]
        facts.classes = [
            ClassFact(
                name: "A", qualifiedName: "A", bases: [], keywords: [], decorators: [], range: site(2), bodyRange: site(2),
                isTopLevel: true)
        ]
        facts.functions = [function("f", line: 3)]
        facts.dunderAll = ["A"]
        return facts
    }

    @Test func aChangedCopyLeavesTheOriginalAsItWas() {
        let original = Self.facts()
        let changes: [(inout FileFacts) -> Void] = [
            { $0.path = "pkg/b.py" },
            { $0.module = "pkg.b" },
            { $0.isPackage = true },
            { $0.isStub = true },
            { $0.imports.append(Self.importFact("sys", line: 4)) },
            { $0.classes[0].name = "B" },
            { $0.dunderAll = nil },
            { $0.functions[0].name = "g" },
            { $0.mutations.append(MutationFact(name: "X", kind: .subscriptAssign, function: nil, range: Self.site(5))) },
            { $0.allDetails = FileFacts.Details() },
        ]
        for (number, change) in changes.enumerated() {
            var copy = original
            change(&copy)
            #expect(copy != original, "change \(number)")
            #expect(original == Self.facts(), "change \(number) showed in the original")
        }
    }

    @Test func copiesShareTheirFactsUntilOneChanges() {
        let original = Self.facts()
        var copy = original
        #expect(copy.box === original.box)
        copy.path = "pkg/b.py"
        #expect(copy.box !== original.box)
        // Not the storage itself: held here, it would be shared.
        let storage = ObjectIdentifier(copy.box)
        copy.module = "pkg.b"
        #expect(ObjectIdentifier(copy.box) == storage, "a value that holds its facts alone changes them in place")
    }

    @Test func aCopyWithDeferredDetailsDecodesItsOwnWhenChanged() {
        let written = Self.facts()
        var deferred = written
        deferred.deferDetails(to: DeferredDetails(topLevelFunctions: written.topLevelFunctions, globalsAssigned: []) { written.allDetails })
        let copy = deferred
        var changed = deferred
        changed.functions.append(Self.function("h", line: 6))
        #expect(!changed.detailsAreDeferred)
        #expect(changed.functions.map(\.name) == ["f", "h"])
        #expect(copy.detailsAreDeferred)
        #expect(deferred.detailsAreDeferred)
        #expect(copy == written && deferred == written)
    }

    @Test func copiesChangedOnSeveralThreadsAtOnceKeepTheirOwnChanges() {
        let original = Self.facts()
        let paths = (0..<64).map { "pkg/m\($0).py" }
        let changed = concurrentMap(paths, jobs: 4) { path in
            var copy = original
            copy.path = path
            copy.imports[0].module = path
            return copy
        }
        #expect(changed.map(\.path) == paths)
        #expect(changed.map(\.imports[0].module) == paths)
        #expect(original == Self.facts())
    }
}
