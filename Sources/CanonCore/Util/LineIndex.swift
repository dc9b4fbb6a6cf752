/// Where the lines of a UTF-8 source start, to turn byte offsets into 1-based lines and code-point columns:
/// what every front end needs to report positions.
public struct LineIndex: Sendable {
    /// The byte offset at which each line starts; lines end at `\n`, `\r\n` or a lone `\r`.
    public let lineStarts: [Int]

    public init(_ bytes: some Collection<UInt8>) {
        var starts = [0]
        var previousWasCR = false
        for (offset, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") {
                if previousWasCR { starts[starts.count - 1] = offset + 1 } else { starts.append(offset + 1) }
            } else if byte == UInt8(ascii: "\r") {
                starts.append(offset + 1)
            }
            previousWasCR = byte == UInt8(ascii: "\r")
        }
        lineStarts = starts
    }

    /// The 1-based line holding `offset`, given the offsets at which lines start.
    public static func line(of offset: Int, lineStarts: [Int]) -> Int {
        lineStarts.withUnsafeBufferPointer { starts in
            // The last start at or before `offset` lies in `base..<base + count`; halving the range without a
            // branch on the comparison (a conditional move), since the front end asks this for every fact.
            var base = 0
            var count = starts.count
            while count > 1 {
                let half = count / 2
                base = starts[base + half] <= offset ? base + half : base
                count -= half
            }
            return base + 1
        }
    }

    /// The 1-based line and code-point column of `offset` in `bytes` (the bytes this index was built from).
    public func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let offset = min(max(0, offset), bytes.count)
        let line = Self.line(of: offset, lineStarts: lineStarts)
        var column = 1
        for byte in bytes[lineStarts[line - 1]..<offset] where byte & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }
}
