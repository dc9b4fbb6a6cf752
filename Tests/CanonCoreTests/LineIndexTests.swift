import CanonCore
import Testing

@Suite struct LineIndexTests {
    @Test func linesEndAtLineFeedsCarriageReturnsAndBoth() {
        let bytes = Array("a\nb\r\nc\rd".utf8)
        let index = LineIndex(bytes)
        #expect(index.lineStarts == [0, 2, 5, 7])
        #expect(index.position(of: 5, in: bytes) == (3, 1))
        #expect(index.position(of: 8, in: bytes) == (4, 2))
    }

    @Test func columnsCountCodePoints() {
        let bytes = Array("let é = \"𝄞\"; x\n".utf8)
        let index = LineIndex(bytes)
        let offset = bytes.count - 2
        #expect(index.position(of: offset, in: bytes) == (1, 14))
    }
}
