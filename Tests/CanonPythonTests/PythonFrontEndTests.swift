import CanonCore
import Testing

@testable import CanonPython

@Suite struct PythonFrontEndTests {
    static let text = "import os\nfrom a.b import c as d\n\nclass K(d):\n    x = os.environ\n"

    static func base(_ bytes: [UInt8]) -> UnsafePointer<UInt8>? {
        bytes.withUnsafeBufferPointer { $0.baseAddress }
    }

    /// Given up with room past their end, as the engine reads files, the bytes are padded where they are.
    @Test func bytesGivenUpWithRoomArePaddedInPlace() throws {
        var source = Array(Self.text.utf8)
        source.reserveCapacity(source.count + SourceBytes.paddingRoom)
        let (count, address) = (source.count, Self.base(source))
        let parsed = try PythonFrontEnd.parse(consume source)
        #expect(Self.base(parsed.source.bytes) == address)
        #expect(parsed.source.count == count)
        #expect(parsed.source.bytes.count == count + PythonFrontEnd.padding)
        #expect(parsed.source.bytes[count...].allSatisfy { $0 == 0 })
    }

    /// Bytes the caller still holds are never changed: the padding goes to a copy.
    @Test func bytesTheCallerKeepsAreLeftAsTheyWere() throws {
        var source = Array(Self.text.utf8)
        source.reserveCapacity(source.count + SourceBytes.paddingRoom)
        let kept = source
        let parsed = try PythonFrontEnd.parse(source)
        #expect(kept == Array(Self.text.utf8))
        #expect(source == kept)
        #expect(Self.base(parsed.source.bytes) != Self.base(kept))
        #expect(parsed.source.bytes == Array(Self.text.utf8) + Array(repeating: 0, count: PythonFrontEnd.padding))
    }

    /// Padded in place or in a copy, or without room, a file's facts are the same.
    @Test func factsDoNotDependOnWhereThePaddingWent() throws {
        let exact = Array(Self.text.utf8)
        var roomy = exact
        roomy.reserveCapacity(exact.count + 64)
        let facts = { (bytes: [UInt8]) in
            try PythonFrontEnd.facts(source: bytes, path: "pkg/mod.py", module: "pkg.mod", isPackage: false, isStub: false)
        }
        let expected = try facts(exact)
        #expect(try facts(roomy) == expected)
        #expect(expected.imports.map(\.module) == ["os", "a.b"])
    }
}
