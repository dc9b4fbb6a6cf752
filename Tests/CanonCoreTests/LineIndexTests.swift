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

    @Test func everyOffsetIsOnTheLineWhoseStartIsTheLastAtOrBeforeIt() {
        var generator = SystemRandomNumberGenerator()
        for lineCount in [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100] {
            var starts = [0]
            for _ in 1..<lineCount { starts.append(starts.last! + Int.random(in: 1...4, using: &generator)) }
            for offset in -1...(starts.last! + 3) {
                let expected = (starts.lastIndex { $0 <= offset } ?? 0) + 1
                #expect(LineIndex.line(of: offset, lineStarts: starts) == expected, "offset \(offset) in \(starts)")
            }
        }
        #expect(LineIndex.line(of: 5, lineStarts: []) == 1)
    }
}
