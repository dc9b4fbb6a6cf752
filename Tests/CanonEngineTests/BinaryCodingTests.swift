@testable import CanonEngine
import Testing

@Suite struct BinaryCodingTests {
    /// Values of every kind, enough of them to grow a writer that starts small many times over, read back.
    @Test func whatTheWriterWritesTheReaderReadsAcrossGrowth() throws {
        var w = ByteWriter(capacity: 1)
        let texts = ["", "a", "fifteen bytes!!", "sixteen bytes!!!", "naïve – ünïcödé", String(repeating: "long ", count: 400)]
        let numbers: [UInt64] = [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, UInt64(UInt32.max), UInt64.max]
        for round in 0..<200 {
            for number in numbers { w.varint(number) }
            w.int(-round)
            w.int(Int.min + round)
            w.bool(round % 2 == 0)
            w.fixed64(UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
            w.strings(texts)
            w.optionalString(round % 3 == 0 ? nil : texts[round % texts.count])
            w.raw([UInt8(truncatingIfNeeded: round), 0xFF])
        }
        let bytes = w.bytes
        #expect(bytes.count == w.count)
        try bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> Void in
            var r = ByteReader(buffer)
            for round in 0..<200 {
                for number in numbers { #expect(try r.varint() == number) }
                #expect(try r.int() == -round)
                #expect(try r.int() == Int.min + round)
                #expect(try r.bool() == (round % 2 == 0))
                #expect(try r.fixed64() == UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
                #expect(try r.strings() == texts)
                #expect(try r.optionalString() == (round % 3 == 0 ? nil : texts[round % texts.count]))
                #expect(Array(try r.bytes(2)) == [UInt8(truncatingIfNeeded: round), 0xFF])
            }
            #expect(r.isAtEnd)
        }
    }

    /// A payload writer keeps what follows the blocks it wrote out: the rest moves to the front, overlapping
    /// where it came from when more than half the buffer is left.
    @Test func removeFirstKeepsTheRestInOrder() {
        for (total, dropped) in [(10, 0), (10, 3), (10, 10), (1000, 999), (1000, 100), (5000, 2500)] {
            var w = ByteWriter(capacity: 4)
            for k in 0..<total { w.byte(UInt8(truncatingIfNeeded: k &* 7)) }
            w.removeFirst(dropped)
            #expect(w.bytes == (dropped..<total).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            w.byte(42)
            #expect(w.count == total - dropped + 1 && w.bytes.last == 42)
        }
        var w = ByteWriter()
        w.string("gone")
        w.removeAll()
        #expect(w.isEmpty && w.bytes.isEmpty)
    }
}
