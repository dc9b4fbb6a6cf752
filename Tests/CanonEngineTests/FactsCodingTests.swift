@testable import CanonCore
@testable import CanonEngine
import Canon
import Foundation
import Testing

@Suite struct FactsCodingTests {
    /// Facts with every field filled, from a file that exercises the whole front end.
    static let source = """
        \"\"\"Doc.\"\"\"
        from __future__ import annotations
        import os.path as osp, sys
        from . import sibling
        from ..up import (a as b, c)
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from x import Y
        try:
            import ujson as json
        except ImportError:
            import json
        import warnings
        __all__ = ["A", "make"]
        __all__ += ["B"]
        warnings.warn("gone", DeprecationWarning)
        _registry: dict = {}
        _instance = None
        Alias = os.path
        manager = Manager()
        COUNT = 1
        COUNT += 1

        @decorator(arg)
        class A(Base, metaclass=Meta):  # canon: ignore[duplicate_definition] -- on purpose
            items: list = []
            limit = 3

            def __init__(self, name):
                self.name = name
                self.items.append(name)
                self.cache[name] = 1

            @classmethod
            async def make(cls, *args, **kwargs):
                global _instance
                _registry["k"] = 1
                _registry.update({})
                del _registry["k"]
                x = osp.join("a", "b")
                return cls()

        def __getattr__(name):
            warnings.warn("old", DeprecationWarning)
            return 1
        # canon: ignore-file[shared_class_state]
        """

    static func facts() throws -> FileFacts {
        let layout = ProjectLayout(paths: ["pkg/mod.py"], read: { _ in nil })
        let outcome = Engine.parse(
            Array(source.utf8), path: "pkg/mod.py", readers: Engine.Readers(frontEnds: [PythonLanguage()], layout: layout))
        guard case .facts(let facts) = outcome else {
            Issue.record("the fixture does not parse: \(outcome)")
            throw CorruptCache()
        }
        return facts
    }

    @Test func factsSurviveTheRoundTrip() throws {
        let facts = try Self.facts()
        #expect(!facts.imports.isEmpty && !facts.classes.isEmpty && !facts.functions.isEmpty && !facts.assignments.isEmpty)
        #expect(!facts.classAttributes.isEmpty && facts.dunderAll != nil && !facts.deprecations.isEmpty)
        #expect(facts.moduleGetattr != nil && !facts.attributeUses.isEmpty && !facts.mutations.isEmpty)
        #expect(!facts.memberMutations.isEmpty && !facts.suppressions.isEmpty && !facts.moduleCalls.isEmpty)
        let encoded = EncodedOutcome(.facts(facts))
        guard case .facts(let decoded) = try encoded.decode(kind: EncodedOutcome.factsKind) else {
            Issue.record("decoded to another kind")
            return
        }
        #expect(decoded == facts)
    }

    /// Facts read back with their details deferred hold what the index reads of them decoded, and give the
    /// details themselves when first read: equal, hashed, encoded and changed as the facts written.
    @Test func deferredDetailsAreDecodedWhenFirstReadAndEqualTheFactsWritten() throws {
        var facts = try Self.facts()
        facts.functions.append(
            FunctionFact(
                name: "later", qualifiedName: "later", className: nil, decorators: [], parameters: [], isAsync: false,
                isTopLevel: true, range: .at(line: 60, column: 1), bodyRange: .at(line: 60, column: 1),
                globals: [NameSite(name: "_instance", range: .at(line: 61, column: 5))],
                assignedNames: [NameSite(name: "_instance", range: .at(line: 62, column: 5))]))
        #expect(facts.topLevelFunctions.map(\.name) == ["__getattr__", "later"])
        #expect(facts.topLevelFunctions.map(\.index) == [2, 3])
        #expect(facts.globalsAssigned == ["_instance"])
        let encoded = EncodedOutcome(.facts(facts))
        func deferred() throws -> FileFacts {
            guard case .facts(let decoded) = try encoded.decode(kind: EncodedOutcome.factsKind, deferringDetails: true) else {
                Issue.record("decoded to another kind")
                throw CorruptCache()
            }
            return decoded
        }
        let decoded = try deferred()
        #expect(decoded.detailsAreDeferred)
        #expect(decoded.topLevelFunctions == facts.topLevelFunctions)
        #expect(decoded.globalsAssigned == facts.globalsAssigned)
        #expect(decoded.detailsAreDeferred, "reading what the index reads decodes nothing")
        #expect(decoded.functions == facts.functions && decoded.memberMutations == facts.memberMutations)
        #expect(decoded == facts && decoded.hashValue == facts.hashValue)
        #expect(JSONOutput.text(decoded) == JSONOutput.text(facts))
        // Copies share the decoding, read on several threads at once.
        let copies = Array(repeating: try deferred(), count: 8)
        let read = concurrentMap(copies, jobs: 4) { $0.allDetails }
        #expect(read.allSatisfy { $0 == facts.allDetails })
        var changed = try deferred()
        changed.mutations.removeAll()
        #expect(!changed.detailsAreDeferred && changed.mutations.isEmpty && changed.functions == facts.functions)
        var written = facts
        written.mutations.removeAll()
        #expect(changed == written)
    }

    @Test func errorsSkippedFilesAndFindingsSurviveTheRoundTrip() throws {
        let error = FileError(path: "a.py", line: 3, column: 7, message: "invalid syntax")
        guard case .error(let decodedError) = try EncodedOutcome(.error(error)).decode(kind: EncodedOutcome.errorKind) else {
            Issue.record("decoded to another kind")
            return
        }
        #expect(decodedError == error)
        let finding = Finding(
            rule: "r", code: "DUP001", severity: .warning,
            location: SourceLocation(path: "a.py", range: SourceRange(line: 1, column: 2, endLine: 3, endColumn: 4)),
            message: "m", subject: "s",
            related: [RelatedLocation(location: SourceLocation(path: "b.py", range: .at(line: 9, column: 1)), message: "other")])
        var movable = finding
        movable.fingerprint = "f"
        movable.fix = .move(
            ImportMove(
                path: "a.py", clause: SourceRange(line: 1, column: 20, endLine: 1, endColumn: 25),
                statement: SourceRange(line: 1, column: 1, endLine: 2, endColumn: 3), source: "app.shim", name: "Order",
                target: "app.real", targetName: "RealOrder"))
        var unfixable = finding
        unfixable.lineHash = "h:1"
        unfixable.fix = .unfixable(reason: "'app.shim.Order' is read as an attribute")
        for original in [finding, movable, unfixable] {
            // Twice, inside one recalling: the second copy is written as numbers.
            var w = ByteWriter()
            w.recallingStrings { w in
                FactsCoding.write(original, to: &w)
                FactsCoding.write(original, to: &w)
            }
            let decoded = try w.bytes.withUnsafeBytes { buffer in
                var r = ByteReader(buffer)
                defer { #expect(r.isAtEnd) }
                return try r.recallingStrings { r throws(CorruptCache) in [try FactsCoding.readFinding(&r), try FactsCoding.readFinding(&r)] }
            }
            #expect(decoded == [original, original])
        }
    }

    @Test func aCutOrWrongKindedEntryIsCorruptNotACrash() throws {
        let encoded = EncodedOutcome(.facts(try Self.facts()))
        guard case .fresh(let bytes) = encoded else { return }
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 50)) {
            #expect(throws: CorruptCache.self) { try EncodedOutcome.fresh(Array(bytes[..<cut])).decode(kind: EncodedOutcome.factsKind) }
        }
        #expect(throws: CorruptCache.self) { try encoded.decode(kind: EncodedOutcome.errorKind) }
        #expect(throws: CorruptCache.self) { try encoded.decode(kind: 9) }
    }

    /// The cache writes fact types field by field: when a type gains a stored property, this count changes
    /// and `FactsCoding` must write and read the new property too (then bump `FactsCoding.format`).
    @Test func everyStoredPropertyOfTheFactTypesIsEncoded() throws {
        let facts = try Self.facts()
        func count(_ value: Any) -> Int { Mirror(reflecting: value).children.count }
        // The facts are one reference to their fields: fifteen facts, the details (four lists) and the deferred
        // details' box.
        #expect(count(facts) == 1)
        #expect(count(facts.box.value) == 17)
        #expect(count(facts.allDetails) == 4)
        #expect(count(facts.imports[0]) == 10)
        #expect(count(facts.classes[0]) == 9)
        #expect(count(facts.functions[0]) == 12)
        #expect(count(facts.functions[0].range) == 4)
        #expect(count(NameSite(name: "", range: .at(line: 1, column: 1))) == 2)
        #expect(count(facts.assignments[0]) == 9)
        #expect(count(facts.classAttributes[0]) == 7)
        #expect(count(facts.deprecations[0]) == 4)
        #expect(count(try #require(facts.moduleGetattr)) == 2)
        #expect(count(DeprecatedDeclarationFact(symbol: "", message: nil, renamed: nil, range: .at(line: 1, column: 1))) == 4)
        #expect(count(facts.attributeUses[0]) == 3)
        #expect(count(facts.mutations[0]) == 4)
        #expect(count(facts.memberMutations[0]) == 6)
        #expect(count(facts.suppressions[0]) == 4)
        #expect(count(FileError(path: "", line: 1, message: "")) == 4)
        #expect(count(SkippedFile(path: "", reason: "")) == 2)
        let finding = Finding(rule: "", code: "", severity: .note, location: SourceLocation(path: "", range: .at(line: 1, column: 1)), message: "", subject: "")
        #expect(count(finding) == 1)
        #expect(count(finding.box.value) == 10)
        #expect(count(ImportMove(path: "", clause: .at(line: 1, column: 1), statement: .at(line: 1, column: 1), source: "", name: "", target: "", targetName: "")) == 7)
    }
}

@Suite struct ContentHashTests {
    @Test func equalBytesHashEquallyAndAnyOneByteChangeChangesTheHash() {
        var seen: Set<ContentHash> = []
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            #expect(ContentHash.of(bytes) == ContentHash.of(bytes))
            #expect(seen.insert(ContentHash.of(bytes)).inserted)
            for position in 0..<length {
                var changed = bytes
                changed[position] ^= 1
                #expect(seen.insert(ContentHash.of(changed)).inserted)
            }
        }
        #expect(ContentHash.of([0]) != ContentHash.of([0, 0]))
    }

    /// The hash is the same from one build to the next (the cache's keys and checksums are written with it):
    /// these values, for lengths around the block and the four-block turn, were worked out by the first
    /// version of the function, which mixed one block a turn.
    @Test func theHashOfKnownBytesIsFixed() {
        let known: [(Int, UInt64, UInt64, UInt64, UInt64)] = [
            (0, 0x58fe9b90798e3ed7, 0xb71977272eef549e, 0x200856555c05ec6c, 0x66da3270859ee6c8),
            (1, 0xd0a9068b6d2156fd, 0x8de83960d9a25f5b, 0xc3a80cd13886cd8c, 0x14ed96cfe08f84ff),
            (15, 0x1a2f7fcd5be030f, 0x6b937e4006a902c4, 0x32a298813072eb5d, 0x2fe8b04f6813ec2e),
            (16, 0xcb7c535ce9eb39c8, 0xecc110f34daeb457, 0x8651dd855cdb4a7a, 0xa46d388bb3e71f76),
            (17, 0xf8baaf285cc2a51c, 0x99f500154a8b7331, 0x9c38eac1262ce6a6, 0xa0ae4e4c9e4e00),
            (63, 0xd578f5ef785848e7, 0xb953ccd095858386, 0xb1b057272dc324ef, 0xb14eea67b84fefd3),
            (64, 0x213f17d0f65947f2, 0x16e6e8de628d92cb, 0x3ec28a69737b37f2, 0xd250e26d2bf0e3ef),
            (65, 0xb1b22989acf8d2bb, 0xfd7add293ca6a37d, 0x682bb7b1ba12088, 0x8c4d5b307d0b38f8),
            (127, 0xde25a4cda083e425, 0x37a4b1659350c3b5, 0xd7b67ad025c5b108, 0x938ff9642c0803ed),
            (128, 0x58ef6947e307f748, 0x66916130bacb1af0, 0x43a3a10fd30323, 0x14379f6cd481901f),
            (200, 0xa487881fc1299521, 0xcf84fa29f26b5d32, 0x83e3fa207220b24b, 0xa8f34a06b3392ee1),
            (1000, 0x5331be3b315c1cd0, 0x1d1f5c911d5cbb89, 0x4255ed7e5ba53a78, 0xc1fdf26206dc2f47),
        ]
        for (length, high, low, seededHigh, seededLow) in known {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
            #expect(ContentHash.of(bytes) == ContentHash(high: high, low: low), "\(length) bytes")
            #expect(ContentHash.of(bytes, seed: 42) == ContentHash(high: seededHigh, low: seededLow), "\(length) bytes, seed 42")
        }
    }
}

@Suite struct FindingsKeyTests {
    @Test func dictionariesAndSetsAreDescribedInOneOrder() {
        var one: [String: Int] = [:]
        var two: [String: Int] = [:]
        let keys = (0..<200).map { "key\($0)" }
        for key in keys { one[key] = key.count }
        for key in keys.reversed() { two[key] = key.count }
        #expect(FindingsKey.stableDescription(one) == FindingsKey.stableDescription(two))
        #expect(FindingsKey.stableDescription(Set(keys)) == FindingsKey.stableDescription(Set(keys.reversed())))
        #expect(FindingsKey.stableDescription(["a": 1]) != FindingsKey.stableDescription(["a": 2]))
    }

    private enum Shape {
        case none
        case one(Int)
        case pair(Int, String)
        indirect case nested([Shape])
    }

    @Test func enumsAreDescribedByCaseAndPayload() {
        #expect(FindingsKey.stableDescription(Shape.none) == "none()")
        #expect(FindingsKey.stableDescription(Shape.one(1)) == "one(1)")
        let shapes: [Shape] = [.none, .one(1), .one(2), .pair(1, "a"), .pair(1, "b"), .nested([.one(1)]), .nested([.one(2)])]
        #expect(Set(shapes.map(FindingsKey.stableDescription)).count == shapes.count)
    }

    @Test func optionsWrittenElsewhereAreDescribedApart() {
        func options(line: Int, value: String) -> ConfigNode {
            let mark = ConfigMark(file: "canon.yml", line: line, column: 3)
            return ConfigNode(
                .mapping([(key: "allow", keyMark: mark, value: ConfigNode(.sequence([ConfigNode(.scalar(.string(value)), mark: mark)]), mark: mark))]),
                mark: mark)
        }
        let written = FindingsKey.stableDescription(options(line: 4, value: "pkg.a"))
        #expect(written == FindingsKey.stableDescription(options(line: 4, value: "pkg.a")))
        #expect(written != FindingsKey.stableDescription(options(line: 5, value: "pkg.a")))
        #expect(written != FindingsKey.stableDescription(options(line: 4, value: "pkg.b")))
        #expect(written.contains("mapping(") && written.contains("sequence(") && written.contains("string(5:pkg.a)"))
    }

    @Test func optionsAreDescribedWholeAndApart() {
        let mark = ConfigMark(file: "canon.yml", line: 2, column: 5)
        func string(_ text: String, at mark: ConfigMark? = mark) -> ConfigNode { ConfigNode(.scalar(.string(text)), mark: mark) }
        let nodes: [ConfigNode] = [
            ConfigNode(.scalar(.null)), ConfigNode(.scalar(.bool(true))), ConfigNode(.scalar(.bool(false))),
            ConfigNode(.scalar(.int(1))), ConfigNode(.scalar(.double(1))), string("1"), string("1", at: nil),
            string("1", at: ConfigMark(file: "canon.yml", line: 2, column: 6)),
            string("1", at: ConfigMark(file: "other.yml", line: 2, column: 5)),
            // Lengths keep strings and file names from running into what follows them.
            string("a b"), ConfigNode(.sequence([string("a"), string("b")]), mark: mark),
            ConfigNode(.sequence([string("a b")]), mark: mark), ConfigNode(.sequence([]), mark: mark),
            ConfigNode(.mapping([]), mark: mark),
            ConfigNode(.mapping([(key: "a", keyMark: mark, value: string("b"))]), mark: mark),
            ConfigNode(.mapping([(key: "a", keyMark: nil, value: string("b"))]), mark: mark),
            ConfigNode(.mapping([(key: "b", keyMark: mark, value: string("a"))]), mark: mark),
            ConfigNode(
                .mapping([(key: "a", keyMark: mark, value: string("b")), (key: "c", keyMark: mark, value: string("d"))]),
                mark: mark),
        ]
        let described = nodes.map(FindingsKey.stableDescription)
        #expect(Set(described).count == nodes.count)
        // Written by hand, so every stored property must be: a new one fails here until it is.
        #expect(Mirror(reflecting: nodes[0]).children.map(\.label) == ["value", "mark"])
        #expect(Mirror(reflecting: mark).children.map(\.label) == ["file", "line", "column"])
        // Inside other values too (a rule's options sit in a `ConfigNode` of the rule's own).
        #expect(FindingsKey.stableDescription([nodes[5]]).contains(described[5]))
    }
}
