import CanonCore
import Testing

@Suite struct LineHashTests {
    /// GitHub's own test vectors, as `../shared/specs/github-line-hash.md` lists them.
    @Test(arguments: [
        ("", ["c129715d7a2bc9a3:1"]),
        (" a\nb\n  \t\tc\n d", ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
        (
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
            ["8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1"]
        ),
    ])
    func githubVectors(input: String, expected: [String]) {
        #expect(LineHash.hashes(of: input) == expected)
    }

    @Test(arguments: ["\n", "\r", "\r\n"])
    func everyLineEndingHashesAlike(ending: String) {
        let text = [" hello; \t", "world!!!", "", "", "  \t\tGreetings", " End", ""].joined(separator: ending)
        #expect(
            LineHash.hashes(of: text) == [
                "e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1",
                "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1",
            ])
    }

    @Test func repeatedLinesCountOccurrences() {
        let text = String(repeating: "Lorem ipsum dolor sit amet.\n", count: 10)
        let expected = (1...6).map { "a7f2ff13bc495cf2:\($0)" } + [
            "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1",
        ]
        #expect(LineHash.hashes(of: text) == expected)
    }

    /// Each line's occurrence is one more than the earlier lines with its hash, through texts with thousands
    /// of distinct lines, each repeated (the table of occurrences grows several times while counting).
    @Test func occurrencesCountEarlierLinesWithTheSameHash() {
        // Longer than the 100-unit window, so a line's hash is its own text's, whatever follows it.
        let distinct = (0..<3000).map { "value_\($0 * 7919 % 3001)_" + String(repeating: "x", count: 100) }
        let text = (distinct + distinct.reversed() + distinct.prefix(500)).joined(separator: "\n")
        let values = LineHash.values(of: text)
        var seen: [UInt64: Int] = [:]
        var repeats = 0
        for value in values {
            seen[value.hash, default: 0] += 1
            if value.occurrence > 1 { repeats += 1 }
            #expect(value.occurrence == seen[value.hash])
        }
        #expect(repeats > 3000)
    }

    @Test func crThenBlankThenLFIsTwoLines() {
        #expect(LineHash.hashes(of: "a\r \nb").count == 3)
        #expect(LineHash.hashes(of: "a\r\nb").count == 2)
    }

    /// A prefix of the lines hashes as the whole text does: every line count from 1 past the end, on a text
    /// with repeats (occurrences), blank lines, CRLF and multi-byte scalars.
    @Test func linesThroughAPrefixHashAsTheWholeText() {
        let text = (0..<40).map { i in i % 7 == 0 ? "" : i % 5 == 0 ? "same line\r" : "line \(i) é 😀 \t x" }
            .joined(separator: "\n")
        let whole = LineHash.values(of: text)
        for last in 1...(whole.count + 1) {
            let prefix = Array(text.utf8).withUnsafeBufferPointer { LineHash.values(ofUTF8: $0, through: last) }
            #expect(Array(prefix.prefix(last)) == Array(whole.prefix(last)))
            let lines = SourceLines(Array(text.utf8), through: last)
            for number in 1...min(last, whole.count) {
                #expect(lines.lineHash(number) == whole[number - 1].description)
            }
        }
    }

    /// Invalid UTF-8 hashes as its repaired text (each bad sequence one U+FFFD), as `String(decoding:)` reads it.
    @Test func invalidUTF8HashesAsItsRepairedText() {
        let bytes: [UInt8] = Array("a = 1\n".utf8) + [0xFF, 0xC3] + Array(" b\nc\n".utf8)
        let repaired = String(decoding: bytes, as: UTF8.self)
        let lines = SourceLines(bytes)
        #expect((1...4).map { lines.lineHash($0) } == LineHash.hashes(of: repaired))
        #expect(String(lines.line(2)) == "\u{FFFD}\u{FFFD} b")
    }
}
