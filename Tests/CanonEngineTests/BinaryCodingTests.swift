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

    /// Lines inside a recalling are written as differences from the last, so one going back up the file (a
    /// later fact list starting over) or to either end of `Int` reads back as it was, and most take a byte;
    /// outside, each is written as it is, and the next recalling starts again from zero.
    @Test func linesAreWrittenAsDifferencesInsideARecallingOnly() throws {
        let lines = [1, 200, 201, 203, 5, 180, Int.max, 0, Int.min, 7]
        var w = ByteWriter()
        w.recallingStrings { w in for line in lines { w.line(line) } }
        let recalledCount = w.count
        for line in lines { w.line(line) }
        w.recallingStrings { w in w.line(300) }
        var plain = ByteWriter()
        for line in lines { plain.int(line) }
        #expect(w.count - recalledCount - 2 == plain.count)
        var differences = ByteWriter()
        differences.recallingStrings { w in for line in [130, 131, 140, 141] { w.line(line) } }
        #expect(differences.count == 5)
        try w.bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> Void in
            var r = ByteReader(buffer)
            #expect(try r.recallingStrings { r throws(CorruptCache) in try lines.map { _ throws(CorruptCache) in try r.line() } } == lines)
            for line in lines { #expect(try r.line() == line) }
            #expect(try r.recallingStrings { r throws(CorruptCache) in try r.line() } == 300)
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

    /// Recalled strings: each text written once per copy made apart, later copies by number, read back equal,
    /// and a copy read again shares the first one's storage (its two words are the same).
    @Test func recalledStringsAreWrittenOnceAndReadBackAsOne() throws {
        func words(_ string: String) -> (UInt64, UInt64) { unsafeBitCast(string, to: (UInt64, UInt64).self) }
        let long = String(repeating: "package.module.", count: 4)
        let apart = String(decoding: Array(long.utf8), as: UTF8.self)
        #expect(apart == long && words(apart) != words(long))
        // Past the table's first size, so it grows while strings are numbered.
        let many = (0..<300).map { "name\($0)" }
        var w = ByteWriter()
        w.recallingStrings { w in
            for _ in 0..<3 { w.recalledString(long) }
            w.recalledString(apart)
            w.string(long)
            w.strings(many + many, recalled: true)
            w.optionalString(nil, recalled: true)
            w.optionalString("self", recalled: true)
            w.recalledString("self")
            w.recalledString("")
        }
        var plain = ByteWriter()
        plain.string(long)
        // The long text in full three times (two copies made apart, one written plain), then its number twice.
        let fullCopies = w.bytes.count(of: plain.bytes.dropFirst())
        #expect(fullCopies == 3)
        try w.bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> Void in
            var r = ByteReader(buffer)
            try r.recallingStrings { r throws(CorruptCache) in
                let first = try r.recalledString()
                let again = [try r.recalledString(), try r.recalledString()]
                #expect(first == long && again == [long, long])
                #expect(again.allSatisfy { words($0) == words(first) })
                #expect(try r.recalledString() == long)
                #expect(try r.string() == long)
                #expect(try r.strings(recalled: true) == many + many)
                #expect(try r.optionalString(recalled: true) == nil)
                #expect(try r.optionalString(recalled: true) == "self")
                #expect(try r.recalledString() == "self")
                #expect(try r.recalledString() == "")
            }
            #expect(r.isAtEnd)
        }
    }

    /// A number past the strings read so far, or a recalled string read outside `recallingStrings`, is a
    /// corrupt cache, not a crash.
    @Test func aRecalledStringNumberedPastTheReadOnesIsCorrupt() throws {
        var w = ByteWriter()
        w.string("a")
        w.varint(2 << 1 | 1)
        try w.bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> Void in
            var r = ByteReader(buffer)
            #expect(throws: CorruptCache.self) {
                try r.recallingStrings { r throws(CorruptCache) in
                    _ = try r.string()
                    return try r.recalledString()
                }
            }
            var outside = ByteReader(buffer)
            #expect(throws: CorruptCache.self) { try outside.recalledString() }
        }
    }
}

extension Array where Element == UInt8 {
    /// How many times `part` occurs in the bytes, overlaps included.
    fileprivate func count(of part: some Collection<UInt8>) -> Int {
        let part = Array(part)
        guard !part.isEmpty, part.count <= count else { return 0 }
        return (0...(count - part.count)).filter { self[$0..<($0 + part.count)].elementsEqual(part) }.count
    }
}
