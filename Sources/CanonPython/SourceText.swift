import CanonCore

/// Line and column arithmetic over a source buffer.
enum SourcePositions {
    /// The 1-based line and column of `offset`; the column counts code points (or bytes, for a file in a
    /// single-byte encoding) from the start of the line.
    static func position(
        of offset: Int, lineStarts: [Int], base: UnsafePointer<UInt8>, countCodePoints: Bool
    ) -> (line: Int, column: Int) {
        let line = LineIndex.line(of: offset, lineStarts: lineStarts)
        return (line, column(of: offset, lineStart: lineStarts[line - 1], base: base, countCodePoints: countCodePoints))
    }

    /// The 1-based column of `offset` on the line starting at `start`: code points (or bytes, for a file in a
    /// single-byte encoding) from the start of the line.
    static func column(of offset: Int, lineStart start: Int, base: UnsafePointer<UInt8>, countCodePoints: Bool) -> Int {
        if !countCodePoints || offset <= start { return offset - start + 1 }
        var column = 1
        for k in start..<offset where base[k] & 0xC0 != 0x80 { column += 1 }
        return column
    }
}

/// Keyword recognition on a name's bytes.
enum Keywords {
    private static func eq(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        let q = s.utf8Start
        for k in 0..<s.utf8CodeUnitCount where p[k] != q[k] { return false }
        return true
    }

    static func classify(_ p: UnsafePointer<UInt8>, _ length: Int) -> Keyword {
        switch length {
        case 1:
            return p[0] == UInt8(ascii: "_") ? .underscore : .none
        case 2:
            switch p[0] {
            case UInt8(ascii: "i"):
                switch p[1] {
                case UInt8(ascii: "f"): return .if
                case UInt8(ascii: "n"): return .in
                case UInt8(ascii: "s"): return .is
                default: return .none
                }
            case UInt8(ascii: "a"): return p[1] == UInt8(ascii: "s") ? .as : .none
            case UInt8(ascii: "o"): return p[1] == UInt8(ascii: "r") ? .or : .none
            default: return .none
            }
        case 3:
            switch p[0] {
            case UInt8(ascii: "d"): return eq(p, "def") ? .def : eq(p, "del") ? .del : .none
            case UInt8(ascii: "f"): return eq(p, "for") ? .for : .none
            case UInt8(ascii: "t"): return eq(p, "try") ? .try : .none
            case UInt8(ascii: "a"): return eq(p, "and") ? .and : .none
            case UInt8(ascii: "n"): return eq(p, "not") ? .not : .none
            default: return .none
            }
        case 4:
            switch p[0] {
            case UInt8(ascii: "f"): return eq(p, "from") ? .from : .none
            case UInt8(ascii: "e"): return eq(p, "elif") ? .elif : eq(p, "else") ? .else : .none
            case UInt8(ascii: "w"): return eq(p, "with") ? .with : .none
            case UInt8(ascii: "p"): return eq(p, "pass") ? .pass : .none
            case UInt8(ascii: "N"): return eq(p, "None") ? .none_ : .none
            case UInt8(ascii: "T"): return eq(p, "True") ? .true_ : .none
            case UInt8(ascii: "c"): return eq(p, "case") ? .case : .none
            case UInt8(ascii: "t"): return eq(p, "type") ? .type : .none
            default: return .none
            }
        case 5:
            switch p[0] {
            case UInt8(ascii: "c"): return eq(p, "class") ? .class : .none
            case UInt8(ascii: "w"): return eq(p, "while") ? .while : .none
            case UInt8(ascii: "a"): return eq(p, "async") ? .async : eq(p, "await") ? .await : .none
            case UInt8(ascii: "y"): return eq(p, "yield") ? .yield : .none
            case UInt8(ascii: "r"): return eq(p, "raise") ? .raise : .none
            case UInt8(ascii: "b"): return eq(p, "break") ? .break : .none
            case UInt8(ascii: "m"): return eq(p, "match") ? .match : .none
            case UInt8(ascii: "F"): return eq(p, "False") ? .false_ : .none
            default: return .none
            }
        case 6:
            switch p[0] {
            case UInt8(ascii: "i"): return eq(p, "import") ? .import : .none
            case UInt8(ascii: "r"): return eq(p, "return") ? .return : .none
            case UInt8(ascii: "g"): return eq(p, "global") ? .global : .none
            case UInt8(ascii: "e"): return eq(p, "except") ? .except : .none
            case UInt8(ascii: "l"): return eq(p, "lambda") ? .lambda : .none
            case UInt8(ascii: "a"): return eq(p, "assert") ? .assert : .none
            default: return .none
            }
        case 7:
            return eq(p, "finally") ? .finally : .none
        case 8:
            return eq(p, "nonlocal") ? .nonlocal : eq(p, "continue") ? .continue : .none
        default:
            return .none
        }
    }
}

/// A file's bytes (followed by zero padding) and its line table, for positions and text of tokens.
struct SourceBuffer: Sendable {
    /// The source bytes, then at least four zero bytes.
    var bytes: [UInt8]
    /// The number of source bytes.
    var count: Int
    var lineStarts: [Int]
    /// False for a file declared in a single-byte encoding, whose columns count bytes.
    var countCodePoints: Bool
    /// Whether every source byte is ASCII (most files): then a column counts bytes, whatever the encoding.
    let isASCII: Bool
    /// The 0-based line holding the first byte of each block of `1 << blockShift` bytes: a position's line is
    /// found from its block's in a step or two, where searching the line table took a dozen (the front end
    /// asks for the line of nearly every fact it makes). Guessing the line from the offset, as if lines were
    /// all as long, and searching outwards from there took longer than the search.
    private let blockLines: [Int32]
    private static let blockShift = 6

    init(bytes: [UInt8], count: Int, lineStarts: [Int], countCodePoints: Bool) {
        self.bytes = bytes
        self.count = count
        self.lineStarts = lineStarts
        self.countCodePoints = countCodePoints
        isASCII = bytes.withUnsafeBufferPointer { ASCII.isASCII(UnsafeBufferPointer(rebasing: $0[..<count])) }
        let blocks = count >> Self.blockShift + 1
        // Line by line, each taking the blocks that start before the next line does (the last line the rest).
        blockLines = lineStarts.withUnsafeBufferPointer { starts in
            [Int32](unsafeUninitializedCapacity: blocks) { lines, written in
                var block = 0
                for line in starts.indices {
                    let end = line + 1 < starts.count ? starts[line + 1] : Int.max
                    while block < blocks && block << Self.blockShift < end {
                        lines[block] = Int32(truncatingIfNeeded: line)
                        block += 1
                    }
                }
                written = blocks
            }
        }
    }

    /// The 1-based line holding `offset`, as `LineIndex.line(of:lineStarts:)` gives it.
    func line(of offset: Int) -> Int {
        lineStarts.withUnsafeBufferPointer { starts in
            blockLines.withUnsafeBufferPointer { blocks in
                var line = Int(blocks[min(max(0, offset) >> Self.blockShift, blocks.count - 1)])
                while line + 1 < starts.count && starts[line + 1] <= offset { line += 1 }
                return line + 1
            }
        }
    }

    func position(of offset: Int) -> (line: Int, column: Int) {
        let line = line(of: offset)
        let column = bytes.withUnsafeBufferPointer { buffer in
            SourcePositions.column(
                of: offset, lineStart: lineStarts[line - 1], base: buffer.baseAddress!, countCodePoints: countCodePoints && !isASCII)
        }
        return (line, column)
    }

    func error(_ message: String, at offset: Int) -> PythonSyntaxError {
        let (line, column) = position(of: offset)
        return PythonSyntaxError(line: line, column: column, message: message)
    }

    func range(from start: Int, to end: Int) -> SourceRange {
        let a = position(of: start)
        // Most ranges end on the line they start on: the end's column then follows from the start's, without
        // a second search of the line table.
        if start <= end, a.line >= lineStarts.count || end < lineStarts[a.line] {
            var column = a.column + (end - start)
            if countCodePoints && !isASCII {
                column = a.column
                for k in start..<end where bytes[k] & 0xC0 != 0x80 { column += 1 }
            }
            return SourceRange(line: a.line, column: a.column, endLine: a.line, endColumn: column)
        }
        let b = position(of: end)
        return SourceRange(line: a.line, column: a.column, endLine: b.line, endColumn: b.column)
    }

    func text(_ start: Int, _ end: Int) -> String {
        if countCodePoints { return String(decoding: bytes[start..<end], as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for b in bytes[start..<end] { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    func text(_ token: Token) -> String { text(token.start.asInt, token.end.asInt) }

    func tokenEquals(_ token: Token, _ word: StaticString) -> Bool {
        token.end.asInt - token.start.asInt == word.utf8CodeUnitCount && bytes(at: token.start.asInt, spell: word)
    }

    /// Whether the bytes from `start` spell `word`; the caller makes sure they lie in the source.
    func bytes(at start: Int, spell word: StaticString) -> Bool {
        bytes(at: start, spell: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    /// Whether the bytes from `start` are those of `word`; the caller makes sure they lie in the source.
    func bytes(at start: Int, spell word: some Collection<UInt8>) -> Bool {
        var offset = start
        for byte in word {
            guard bytes[offset] == byte else { return false }
            offset += 1
        }
        return true
    }
}
