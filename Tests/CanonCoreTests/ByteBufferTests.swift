import CanonCore
import Testing

@Suite struct ByteBufferTests {
    @Test func writesWhatAnArrayWouldAcrossGrowth() {
        var buffer = ByteBuffer(capacity: 0)
        var expected: [UInt8] = []
        #expect(buffer.array().isEmpty && buffer.isEmpty)
        for round in 0..<2_000 {
            let byte = UInt8(truncatingIfNeeded: round &* 31)
            buffer.append(byte)
            expected.append(byte)
            let run = (0..<(round % 37)).map { UInt8(truncatingIfNeeded: $0 &+ round) }
            run.withUnsafeBufferPointer { buffer.append($0) }
            expected += run
        }
        buffer.append("literal ✓")
        expected += Array("literal ✓".utf8)
        buffer.append([1, 2, 3])
        expected += [1, 2, 3]
        #expect(buffer.count == expected.count)
        #expect(buffer.array() == expected)
        buffer.withUnsafeBytes { #expect(Array($0) == expected) }
    }

    @Test func writesIntegersAsStringDoes() {
        var values = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -98_765, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        while power <= Int.max / 10 {
            values += [power - 1, power, power + 1, -power]
            power *= 10
        }
        for value in values {
            var buffer = ByteBuffer(capacity: 1)
            buffer.append(decimal: value)
            #expect(buffer.array() == Array(String(value).utf8), "\(value)")
        }
    }

    @Test func dropsFromTheFrontAndKeepsRoomForMore() {
        var buffer = ByteBuffer(capacity: 4)
        buffer.append(Array("abcdefgh".utf8))
        buffer.removeFirst(3)
        #expect(buffer.array() == Array("defgh".utf8))
        buffer.removeFirst(0)
        #expect(buffer.count == 5)
        let spared = buffer.array(spare: 10)
        #expect(spared == Array("defgh".utf8) && spared.capacity >= 15)
        buffer.removeAll()
        #expect(buffer.isEmpty && buffer.array().isEmpty)
        buffer.append(UInt8(ascii: "z"))
        #expect(buffer.array() == [UInt8(ascii: "z")])
    }
}
