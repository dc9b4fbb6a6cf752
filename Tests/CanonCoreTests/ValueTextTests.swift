import CanonCore
import Testing

@Suite struct ValueTextTests {
    @Test func aTextUpToTheLimitIsKeptWhole() {
        #expect(ValueText.capped("") == "")
        #expect(ValueText.capped("None") == "None")
        let full = String(repeating: "x", count: ValueText.limit)
        #expect(ValueText.capped(full) == full)
    }

    @Test func aLongerTextIsCutAtTheLimitAndMarked() {
        let text = String(repeating: "ab", count: ValueText.limit)
        let capped = ValueText.capped(text)
        #expect(capped == String(text.utf8.prefix(ValueText.limit))! + ValueText.cutMark)
        #expect(ValueText.capped(String(repeating: "x", count: ValueText.limit + 1)).hasSuffix("x" + ValueText.cutMark))
    }

    @Test func aCharacterAcrossTheLimitIsLeftOutWhole() {
        // "é" is two bytes: starting one byte before the limit, it would straddle it.
        let text = String(repeating: "x", count: ValueText.limit - 1) + "é" + "tail"
        #expect(ValueText.capped(text) == String(repeating: "x", count: ValueText.limit - 1) + ValueText.cutMark)
        // Starting at the limit, it is the first thing left out.
        let after = String(repeating: "x", count: ValueText.limit) + "é"
        #expect(ValueText.capped(after) == String(repeating: "x", count: ValueText.limit) + ValueText.cutMark)
    }

    @Test func cuttingTwiceChangesNothingMore() {
        let text = String(repeating: "€", count: ValueText.limit)
        let once = ValueText.capped(text)
        #expect(once.utf8.count <= ValueText.limit + ValueText.cutMark.utf8.count)
        #expect(once.hasPrefix("€€€") && once.hasSuffix(ValueText.cutMark))
    }
}
