import CanonCore
import Foundation
import Testing

/// `JSONOutput` against Foundation's `JSONEncoder` with the same options: the reports' bytes must not change.
@Suite struct JSONOutputTests {
    struct Inner: Encodable {
        let small: Int8
        let unsigned: UInt64
        let half: Float?
        let lists: [String: [Int]]
        let url: URL
        let data: Data
    }

    struct Everything: Encodable {
        let empty: [Int]
        let keys: [String: Int]
        let text: String
        let number: Double
        let missing: Bool?
        let nested: [[Int]]
        let inner: [Inner]
        let byInt: [Int: String]
        let blank: String?
    }

    enum Choice: Encodable {
        case one(Int)
        case two(String, [Int])
    }

    /// Encodes `value` under one key twice: the last value is the one written.
    struct Twice: Encodable {
        enum Key: String, CodingKey { case value, other }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("first", forKey: .value)
            try container.encode(2, forKey: .other)
            try container.encode("second", forKey: .value)
        }
    }

    /// A value that asks for no container, nested in an array; and a super encoder.
    struct Quiet: Encodable {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        enum Key: String, CodingKey { case items }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            var items = container.nestedUnkeyedContainer(forKey: .items)
            try items.encode(Nothing())
            var nested = items.nestedContainer(keyedBy: Key.self)
            try nested.encode([1], forKey: .items)
            try "base".encode(to: container.superEncoder())
        }
    }

    static let everything = Everything(
        empty: [],
        keys: ["aZ": 1, "ab": 2, "a": 3, "B": 4, "b": 5, "a10": 6, "a9": 7, "é": 8, "z": 9, "_x": 10, "ä": 11],
        text: "q\"\\/\u{0}\u{1f}\u{7f}\n\r\t\u{8}\u{c}é\u{2028}😀", number: 1.5, missing: nil, nested: [[]],
        inner: [
            Inner(small: -3, unsigned: 12345, half: 2.5, lists: ["k": [], "j": [1]], url: URL(fileURLWithPath: "/a b/c"), data: Data([1, 2, 3])),
            Inner(small: 7, unsigned: 0, half: nil, lists: [:], url: URL(string: "https://example.com/x?y=1")!, data: Data()),
        ],
        byInt: [3: "x", 1: "y"], blank: "")

    func expectSame<T: Encodable>(_ value: T) throws {
        for pretty in [true, false] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
            let expected = String(decoding: try encoder.encode(value), as: UTF8.self)
            let actual = String(decoding: try JSONOutput.encode(value, pretty: pretty), as: UTF8.self)
            #expect(actual == expected, "pretty: \(pretty)")
        }
    }

    @Test func structsDictionariesEscapesAndSpecialTypes() throws { try expectSame(Self.everything) }

    @Test func numbers() throws {
        try expectSame([1.0, 1e21, 1e-7, 0.1, 100.0, -0.0, 123456789.125, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude])
        try expectSame([Int.min, -1, 0, Int.max])
    }

    @Test func topLevelScalarsAndEmptyContainers() throws {
        try expectSame("x")
        try expectSame(Int?.none)
        try expectSame(true)
        try expectSame([String: Int]())
        try expectSame([[String: [Int]]]())
    }

    /// Each character that needs escaping at each place of an eight-byte word, and characters beside them that
    /// do not (a space, `!`, `#`, `[`, `]`, DEL, non-ASCII), which the word-at-a-time check must pass over.
    @Test func escapesWhereverTheyFall() throws {
        for special in ["\"", "\\", "\u{0}", "\u{1f}", "\n", " ", "!", "#", "[", "]", "\u{7f}", "é"] {
            try expectSame((0..<20).map { String(repeating: "a", count: $0) + special + String(repeating: "b", count: 19 - $0) })
        }
    }

    /// Nested past the depths whose line breaks are written whole.
    @Test func deepNesting() throws {
        indirect enum Nest: Encodable {
            case leaf
            case node([String: Nest])

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .leaf: try container.encode("leaf \"q\"")
                case .node(let children): try container.encode(children)
                }
            }
        }
        let deep = (0..<20).reduce(Nest.leaf) { nest, depth in .node(["d\(depth)": nest, "e": .leaf]) }
        try expectSame(deep)
        try expectSame([[[[[[[[[[[[[[[[[[1, 2]]]]]]]]]]]]]]]]]])
    }

    @Test func enumsRepeatedKeysNothingEncodedAndSuperEncoders() throws {
        try expectSame([Choice.one(1), Choice.two("a", []), Choice.two("b", [1, 2])])
        try expectSame([Twice(), Twice()])
        try expectSame(Quiet())
    }

    @Test func manyObjectsOfOneShapeAndOfSeveral() throws {
        try expectSame((0..<40).map { Self.everything.inner[$0 % 2] })
        try expectSame((0..<40).map { ["k\($0 % 20)": $0, "a": 1] })
    }

    /// Items written in chunks on every core, at the top and nested two levels down, around the chunk size.
    struct Chunked: Encodable, Sendable {
        let count: Int
        let items: JSONOutput.Elements<[String: Int]>
        let nested: [String: [JSONOutput.Elements<Int>]]
    }

    @Test(arguments: [0, 1, 63, 64, 65, 200])
    func elementsAreWrittenAsThePlainArray(count: Int) throws {
        let maps = (0..<count).map { ["k\($0 % 7)": $0, "a": 1] }
        try expectSame(JSONOutput.Elements(maps))
        try expectSame(JSONOutput.Elements(maps, jobs: 1))
        try expectSame(JSONOutput.Elements(maps, jobs: 3))
        try expectSame(Chunked(count: count, items: JSONOutput.Elements(maps), nested: ["x": [JSONOutput.Elements(Array(0..<count))]]))
        #expect(try ConfigEncoder().encode(JSONOutput.Elements(Array(0..<count))) == ConfigEncoder().encode(Array(0..<count)))
    }

    @Test func anErrorInALaterChunkIsThrown() {
        let numbers = (0..<200).map { $0 == 150 ? Double.nan : 1 }
        #expect(throws: EncodingError.self) { try JSONOutput.encode(JSONOutput.Elements(numbers), pretty: true) }
    }

    @Test func nonFiniteNumbersAndSilentTopLevelValuesAreErrors() {
        #expect(throws: EncodingError.self) { try JSONOutput.encode([Double.nan], pretty: false) }
        #expect(throws: EncodingError.self) { try JSONOutput.encode(Quiet.Nothing(), pretty: true) }
    }

    /// A value that writes its own members, with every kind of member: optional strings present and left out,
    /// escapes, numbers, booleans, lists of such values empty and not; and one with no members at all.
    struct Members: Encodable, Sendable, JSONObjectMembers {
        struct Leaf: Encodable, Sendable, JSONObjectMembers {
            let b: Int
            let a: String?
            enum CodingKeys: String, CodingKey { case a = "Z", b }
            func writeMembers(to object: inout JSONObjectWriter) {
                object.member("Z", a)
                object.member("b", b)
            }
        }

        struct Nothing: Encodable, Sendable, JSONObjectMembers {
            func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: CodingKeys.self) }
            enum CodingKeys: CodingKey {}
            func writeMembers(to object: inout JSONObjectWriter) {}
        }

        let text: String
        let maybe: String?
        let count: Int
        let flag: Bool
        let leaves: [Leaf]
        let endLine: Int
        let end: Int

        func writeMembers(to object: inout JSONObjectWriter) {
            object.member("count", count)
            object.member("end", end)
            object.member("endLine", endLine)
            object.member("flag", flag)
            object.member("leaves", leaves)
            object.member("maybe", maybe)
            object.member("text", text)
        }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 130])
    func itemsThatWriteTheirOwnMembersAreWrittenAsTheirEncoding(count: Int) throws {
        let values = (0..<count).map { n in
            Members(
                text: n % 3 == 0 ? Self.everything.text : "t\(n)", maybe: n % 2 == 0 ? nil : "m/\(n)", count: n - 50,
                flag: n % 2 == 0, leaves: (0..<(n % 3)).map { Members.Leaf(b: $0, a: $0 == 1 ? nil : "\u{1}") },
                endLine: Int.max - n, end: Int.min + n)
        }
        try expectSame(JSONOutput.Elements(values))
        try expectSame(JSONOutput.Elements(values, jobs: 1))
        try expectSame(["x": JSONOutput.Elements(values, jobs: 3)])
        try expectSame(JSONOutput.Elements((0..<count).map { _ in Members.Nothing() }))
    }
}
