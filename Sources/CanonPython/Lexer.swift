import CanonCore

/// What the lexer hands to the statement reader.
struct LexedFile: Sendable {
    var tokens: [Token]
    /// Byte offset of the first byte of each line (index 0 is line 1).
    var lineStarts: [Int]
    /// Byte spans `[start, end)` of comments, from the `#` to the end of the line.
    var comments: [(start: Int, end: Int)]
}

/// An open bracket; an f-string replacement field's `{` is one too, owned by an f-string level.
private struct Bracket {
    var open: UInt8
    var offset: Int
    /// Index into the f-string stack of the f-string whose replacement field this `{` opens, or -1.
    var owner: Int
    /// Whether the lexer is in this replacement field's format spec.
    var inSpec: Bool
}

/// A list written into room made for it beforehand (see `Lexer.lex`), last element at the end: the lexer's
/// tokens, line starts and open brackets. Writing one checks neither the room left nor whether the list is
/// shared, as an array's `append` does for each of millions; debug builds assert the room. Elements are plain
/// values, written over uninitialized room.
private struct RoomList<Element> {
    let base: UnsafeMutablePointer<Element>
    let capacity: Int
    private(set) var count = 0

    init(_ room: UnsafeMutableBufferPointer<Element>) {
        base = room.baseAddress!
        capacity = room.count
    }

    var isEmpty: Bool { count == 0 }
    var last: Element? { count > 0 ? base[count - 1] : nil }
    /// What has been written, as an array (for an error's position, say).
    var written: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always) mutating func append(_ element: Element) {
        assert(count < capacity, "an element past the room made for it")
        base[count] = element
        count += 1
    }

    mutating func removeLast() {
        assert(count > 0, "no element to remove")
        count -= 1
    }

    func last(where matches: (Element) -> Bool) -> Element? {
        for index in stride(from: count - 1, through: 0, by: -1) where matches(base[index]) { return base[index] }
        return nil
    }
}

private struct FStringLevel {
    var quote: UInt8
    var triple: Bool
    var raw: Bool
    /// The bracket-stack depth at which the f-string's literal text is read.
    var baseDepth: Int
    var start: Int
}

/// A hand-written Python 3.13 tokenizer over bytes. The buffer must hold `count` bytes of source followed by at
/// least four zero bytes; the source itself holds no NUL (checked by the caller), so zero marks the end.
struct Lexer {
    private let p: UnsafePointer<UInt8>
    private let n: Int
    private let validateUTF8: Bool
    private var i: Int
    /// Room for every token the text can make, and every line start (see `lex`).
    private var tokens: RoomList<Token>
    private var lineStarts: RoomList<Int>
    private var comments: [(start: Int, end: Int)] = []
    private var indents: [Int] = [0]
    private var altIndents: [Int] = [0]
    /// The open brackets, innermost last, in room for `maxBrackets` (checked before one is opened).
    private var brackets: RoomList<Bracket>
    private var fstrings: [FStringLevel] = []
    private var atLineStart = true

    static let maxBrackets = 200
    static let maxIndents = 100

    private init(
        base: UnsafePointer<UInt8>, count: Int, start: Int, validateUTF8: Bool,
        tokens: UnsafeMutableBufferPointer<Token>, lineStarts: UnsafeMutableBufferPointer<Int>,
        brackets: UnsafeMutableBufferPointer<Bracket>
    ) {
        assert(
            [Self.nameBytes, Self.plainStringBytes, Self.commentBytes].allSatisfy { $0.utf8CodeUnitCount == 256 },
            "each table of bytes has one entry a byte value")
        p = base
        n = count
        i = start
        self.validateUTF8 = validateUTF8
        self.tokens = RoomList(tokens)
        self.lineStarts = RoomList(lineStarts)
        self.brackets = RoomList(brackets)
        self.lineStarts.append(start)
    }

    static func lex(
        _ base: UnsafePointer<UInt8>, count: Int, start: Int, validateUTF8: Bool
    ) throws(PythonSyntaxError) -> LexedFile {
        // Every token but a DEDENT takes at least one byte of its own (an INDENT its line's indentation), a
        // DEDENT closes an INDENT, and the end adds a NEWLINE and an ENDMARKER: never more than two tokens a
        // byte, plus two. A line starts after a line ending: at most one a byte, plus the first. Pages of the
        // room that nothing reaches are never touched.
        var failure: PythonSyntaxError?
        var lineStarts: [Int] = []
        var comments: [(start: Int, end: Int)] = []
        let tokens = [Token](unsafeUninitializedCapacity: 2 * count + 16) { tokenBuffer, tokenCount in
            lineStarts = [Int](unsafeUninitializedCapacity: count + 2) { lineBuffer, lineCount in
                withUnsafeTemporaryAllocation(of: Bracket.self, capacity: maxBrackets) { bracketBuffer in
                    var lexer = Lexer(
                        base: base, count: count, start: start, validateUTF8: validateUTF8, tokens: tokenBuffer,
                        lineStarts: lineBuffer, brackets: bracketBuffer)
                    do throws(PythonSyntaxError) {
                        try lexer.run()
                    } catch {
                        failure = error
                    }
                    tokenCount = lexer.tokens.count
                    lineCount = lexer.lineStarts.count
                    comments = lexer.comments
                }
            }
        }
        if let failure { throw failure }
        return LexedFile(tokens: tokens, lineStarts: lineStarts, comments: comments)
    }

    // MARK: - Errors and positions

    private func error(_ message: String, at offset: Int) -> PythonSyntaxError {
        let (line, column) = SourcePositions.position(
            of: offset, lineStarts: lineStarts.written, base: p, countCodePoints: validateUTF8)
        return PythonSyntaxError(line: line, column: column, message: message)
    }

    private func currentLine(_ offset: Int) -> Int {
        LineIndex.line(of: offset, lineStarts: lineStarts.written)
    }

    // MARK: - Main loop

    private mutating func run() throws(PythonSyntaxError) {
        while true {
            if !fstrings.isEmpty {
                let level = fstrings.count - 1
                if brackets.count == fstrings[level].baseDepth {
                    try fstringText(spec: false)
                    continue
                }
                let top = brackets[brackets.count - 1]
                if top.owner == level && top.inSpec {
                    try fstringText(spec: true)
                    continue
                }
            }
            if atLineStart {
                atLineStart = false
                if try !indentation() { continue }
            }
            var c = p[i]
            while c == 0x20 || c == 0x09 || c == 0x0C {
                i += 1
                c = p[i]
            }
            let start = i
            switch c {
            case 0:
                try finish()
                return
            case UInt8(ascii: "#"):
                skipComment()
            case 0x0A, 0x0D:
                consumeNewline()
                if brackets.isEmpty {
                    tokens.append(Token(kind: .newline, start: start, end: i))
                    atLineStart = true
                }
            case UInt8(ascii: "\\"):
                try continuation()
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
                0x80...0xFF:
                try nameOrPrefixedString()
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number()
            case UInt8(ascii: "."):
                if isDigit(p[i + 1]) {
                    number()
                } else if p[i + 1] == UInt8(ascii: ".") && p[i + 2] == UInt8(ascii: ".") {
                    i += 3
                    tokens.append(Token(kind: .op, start: start, end: i, op: .ellipsis))
                } else {
                    i += 1
                    tokens.append(Token(kind: .op, start: start, end: i, op: .dot))
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                try string(tokenStart: start, quoteAt: start, isFormat: false, isRaw: false)
            default:
                try operatorToken(c)
            }
        }
    }

    @inline(__always) private func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

    /// `1` at each byte an identifier goes on with (an ASCII letter or digit, or `_`), `0` elsewhere, 64 bytes a
    /// line: one load a byte, where testing three ranges took three compares, in the loop that reads every name.
    private static let nameBytes: StaticString = """
        0000000000000000000000000000000000000000000000001111111111000000\
        0111111111111111111111111110000101111111111111111111111111100000\
        0000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000000000000000000000000000000000000
        """

    /// `1` at each byte a string's body passes over without a look: ASCII other than a quote, `\`, CR, LF and
    /// NUL (the end of the text).
    private static let plainStringBytes: StaticString = """
        0111111111011011111111111111111111011110111111111111111111111111\
        1111111111111111111111111111011111111111111111111111111111111111\
        0000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000000000000000000000000000000000000
        """

    /// `1` at each byte a comment goes on over: all but CR, LF and NUL.
    private static let commentBytes: StaticString = """
        0111111111011011111111111111111111111111111111111111111111111111\
        1111111111111111111111111111111111111111111111111111111111111111\
        1111111111111111111111111111111111111111111111111111111111111111\
        1111111111111111111111111111111111111111111111111111111111111111
        """

    /// Consumes `\n`, `\r\n` or a lone `\r` at `i` and records the next line's start.
    @inline(__always) private mutating func consumeNewline() {
        if p[i] == 0x0D && p[i + 1] == 0x0A { i += 2 } else { i += 1 }
        lineStarts.append(i)
    }

    private mutating func skipComment() {
        let start = i
        let commentBytes = Self.commentBytes.utf8Start
        while true {
            while commentBytes[Int(p[i])] == UInt8(ascii: "1") { i += 1 }
            guard p[i] == 0 && i < n else { break }
            i += 1
        }
        comments.append((start, i))
    }

    private mutating func continuation() throws(PythonSyntaxError) {
        let next = p[i + 1]
        if next == 0x0A || next == 0x0D {
            i += 1
            consumeNewline()
            if p[i] == 0 && i >= n { throw error("unexpected EOF while parsing", at: i) }
        } else if next == 0 && i + 1 >= n {
            throw error("unexpected EOF while parsing", at: i + 1)
        } else {
            throw error("unexpected character after line continuation character", at: i + 1)
        }
    }

    /// Reads the indentation of a new logical line. Returns false when the line is blank (only white space or a
    /// comment), which produces no tokens.
    private mutating func indentation() throws(PythonSyntaxError) -> Bool {
        var col = 0
        var alt = 0
        var contCol = 0
        var contAlt = 0
        while true {
            let c = p[i]
            if c == 0x20 {
                // Eight spaces at a time: indentation is a large share of Python source.
                while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 {
                    i += 8
                    col += 8
                    alt += 8
                }
                guard p[i] == 0x20 else { continue }
                col += 1
                alt += 1
            } else if c == 0x09 {
                col = (col / 8 + 1) * 8
                alt += 1
            } else if c == 0x0C {
                col = 0
                alt = 0
            } else if c == UInt8(ascii: "\\") && (p[i + 1] == 0x0A || p[i + 1] == 0x0D) {
                // The first physical line of a continued indentation decides the level, as in CPython.
                if contCol == 0 {
                    contCol = col
                    contAlt = alt
                }
                i += 1
                consumeNewline()
                if p[i] == 0 && i >= n { throw error("unexpected EOF while parsing", at: i) }
                continue
            } else {
                break
            }
            i += 1
        }
        let c = p[i]
        if c == UInt8(ascii: "#") || c == 0x0A || c == 0x0D || (c == 0 && i >= n) {
            if c == UInt8(ascii: "#") { skipComment() }
            if p[i] == 0x0A || p[i] == 0x0D {
                consumeNewline()
                atLineStart = true
            }
            return false
        }
        if contCol != 0 {
            col = contCol
            alt = contAlt
        }
        let top = indents[indents.count - 1]
        let altTop = altIndents[altIndents.count - 1]
        if col == top {
            if alt != altTop { throw error("inconsistent use of tabs and spaces in indentation", at: i) }
        } else if col > top {
            if indents.count >= Lexer.maxIndents { throw error("too many levels of indentation", at: i) }
            if alt <= altTop { throw error("inconsistent use of tabs and spaces in indentation", at: i) }
            indents.append(col)
            altIndents.append(alt)
            tokens.append(Token(kind: .indent, start: i, end: i))
        } else {
            while indents.count > 1 && col < indents[indents.count - 1] {
                indents.removeLast()
                altIndents.removeLast()
                tokens.append(Token(kind: .dedent, start: i, end: i))
            }
            if col != indents[indents.count - 1] {
                throw error("unindent does not match any outer indentation level", at: i)
            }
            if alt != altIndents[altIndents.count - 1] {
                throw error("inconsistent use of tabs and spaces in indentation", at: i)
            }
        }
        return true
    }

    private mutating func finish() throws(PythonSyntaxError) {
        if let field = brackets.last(where: { $0.owner >= 0 }) {
            throw error("f-string: expecting '}'", at: field.offset)
        }
        if let open = brackets.last {
            throw error("'\(Character(Unicode.Scalar(open.open)))' was never closed", at: open.offset)
        }
        if let last = tokens.last, last.kind != .newline {
            tokens.append(Token(kind: .newline, start: n, end: n))
        }
        while indents.count > 1 {
            indents.removeLast()
            tokens.append(Token(kind: .dedent, start: n, end: n))
        }
        tokens.append(Token(kind: .endMarker, start: n, end: n))
    }

    // MARK: - Names and numbers

    /// Advances past one UTF-8 sequence at `j`, or throws if it is malformed.
    @inline(__always) private func skipScalar(_ j: Int) throws(PythonSyntaxError) -> Int {
        if !validateUTF8 { return j + 1 }
        let length = UTF8Validation.sequenceLength(p, j)
        if length == 0 {
            let hex = String(p[j], radix: 16, uppercase: true)
            throw error("invalid UTF-8: byte 0x\(hex) cannot be decoded", at: j)
        }
        return j + length
    }

    /// Advances past a non-ASCII identifier character, which must be XID_Start (or XID_Continue after the
    /// first character), as CPython checks.
    private func identifierScalar(_ j: Int, isStart: Bool) throws(PythonSyntaxError) -> Int {
        let next = try skipScalar(j)
        guard validateUTF8 else { return next }
        var value = UInt32(p[j]) & (0xFF >> UInt32(next - j + 1))
        for k in (j + 1)..<next { value = value << 6 | UInt32(p[k] & 0x3F) }
        if !UnicodeTables.contains(isStart ? UnicodeTables.identifierStart : UnicodeTables.identifierContinue, value) {
            let hex = String(value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            let shown = Unicode.Scalar(value).map { String(Character($0)) } ?? "?"
            throw error("invalid character '\(shown)' (U+\(padded))", at: j)
        }
        return next
    }

    private mutating func nameOrPrefixedString() throws(PythonSyntaxError) {
        let start = i
        var j = i
        let nameBytes = Self.nameBytes.utf8Start
        while true {
            let c = p[j]
            if nameBytes[Int(c)] == UInt8(ascii: "1") {
                j += 1
            } else if c >= 0x80 {
                j = try identifierScalar(j, isStart: j == start)
            } else {
                break
            }
        }
        let c = p[j]
        if (c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")) && j - start <= 2 {
            var raw = 0
            var format = 0
            var bytes = 0
            var unicode = 0
            for k in start..<j {
                switch p[k] | 0x20 {
                case UInt8(ascii: "r"): raw += 1
                case UInt8(ascii: "f"): format += 1
                case UInt8(ascii: "b"): bytes += 1
                case UInt8(ascii: "u"): unicode += 1
                default: break
                }
            }
            let letters = raw + format + bytes + unicode
            let valid =
                letters == j - start && raw <= 1 && format + bytes <= 1 && (unicode == 0 || letters == 1)
            if valid {
                try string(tokenStart: start, quoteAt: j, isFormat: format == 1, isRaw: raw == 1)
                return
            }
        }
        i = j
        tokens.append(Token(kind: .name, start: start, end: j, keyword: Keywords.classify(p + start, j - start)))
    }

    private mutating func number() {
        var j = i
        let c1 = p[j + 1] | 0x20
        if p[j] == UInt8(ascii: "0") && (c1 == UInt8(ascii: "x") || c1 == UInt8(ascii: "o") || c1 == UInt8(ascii: "b")) {
            j += 2
            while true {
                let c = p[j]
                if isDigit(c) || c == 95 || (c | 0x20) &- 97 < 6 { j += 1 } else { break }
            }
        } else {
            while isDigit(p[j]) || p[j] == 95 { j += 1 }
            if p[j] == UInt8(ascii: ".") {
                j += 1
                while isDigit(p[j]) || p[j] == 95 { j += 1 }
            }
            if p[j] | 0x20 == UInt8(ascii: "e") {
                let s = p[j + 1]
                if isDigit(s) {
                    j += 1
                } else if (s == UInt8(ascii: "+") || s == UInt8(ascii: "-")) && isDigit(p[j + 2]) {
                    j += 2
                }
                if j > i && isDigit(p[j]) {
                    while isDigit(p[j]) || p[j] == 95 { j += 1 }
                }
            }
            if p[j] | 0x20 == UInt8(ascii: "j") { j += 1 }
        }
        tokens.append(Token(kind: .number, start: i, end: j))
        i = j
    }

    // MARK: - Strings

    private mutating func string(
        tokenStart: Int, quoteAt q: Int, isFormat: Bool, isRaw: Bool
    ) throws(PythonSyntaxError) {
        let quote = p[q]
        var j = q + 1
        let triple = p[j] == quote && p[j + 1] == quote
        if triple {
            j += 2
        } else if p[j] == quote && !isFormat {
            i = j + 1
            tokens.append(Token(kind: .string, start: tokenStart, end: i))
            return
        }
        if isFormat {
            if fstrings.count >= Lexer.maxBrackets { throw error("too many nested f-strings", at: tokenStart) }
            fstrings.append(
                FStringLevel(quote: quote, triple: triple, raw: isRaw, baseDepth: brackets.count, start: tokenStart))
            tokens.append(Token(kind: .fstringStart, start: tokenStart, end: j))
            i = j
            return
        }
        let plainStringBytes = Self.plainStringBytes.utf8Start
        while true {
            while plainStringBytes[Int(p[j])] == UInt8(ascii: "1") { j += 1 }
            let c = p[j]
            if c == quote {
                if !triple {
                    j += 1
                    break
                }
                if p[j + 1] == quote && p[j + 2] == quote {
                    j += 3
                    break
                }
                j += 1
            } else if c == UInt8(ascii: "\\") {
                j += 1
                let e = p[j]
                if e == 0x0A || e == 0x0D {
                    if e == 0x0D && p[j + 1] == 0x0A { j += 1 }
                    j += 1
                    lineStarts.append(j)
                } else if e == 0 && j >= n {
                    throw unterminated(tokenStart, triple: triple, format: false, at: j)
                } else if e >= 0x80 {
                    j = try skipScalar(j)
                } else {
                    j += 1
                }
            } else if c == 0x0A || c == 0x0D {
                if !triple { throw unterminated(tokenStart, triple: false, format: false, at: j) }
                if c == 0x0D && p[j + 1] == 0x0A { j += 1 }
                j += 1
                lineStarts.append(j)
            } else if c == 0 && j >= n {
                throw unterminated(tokenStart, triple: triple, format: false, at: j)
            } else if c >= 0x80 {
                j = try skipScalar(j)
            } else {
                j += 1
            }
        }
        i = j
        tokens.append(Token(kind: .string, start: tokenStart, end: j))
    }

    private func unterminated(_ start: Int, triple: Bool, format: Bool, at end: Int) -> PythonSyntaxError {
        let kind = (triple ? "triple-quoted " : "") + (format ? "f-string" : "string")
        return error("unterminated \(kind) literal (detected at line \(currentLine(end)))", at: start)
    }

    /// Reads the literal text of the innermost f-string (or of a format spec) up to a replacement field, the
    /// end of the spec, or the closing quote.
    private mutating func fstringText(spec: Bool) throws(PythonSyntaxError) {
        let level = fstrings.count - 1
        let f = fstrings[level]
        var j = i
        while true {
            let c = p[j]
            if c == f.quote && (!f.triple || (p[j + 1] == f.quote && p[j + 2] == f.quote)) {
                if spec { throw error("f-string: expecting '}'", at: j) }
                let end = j + (f.triple ? 3 : 1)
                tokens.append(Token(kind: .fstringEnd, start: j, end: end))
                fstrings.removeLast()
                i = end
                return
            }
            switch c {
            case UInt8(ascii: "{"):
                if !spec && p[j + 1] == UInt8(ascii: "{") {
                    j += 2
                    continue
                }
                if brackets.count >= Lexer.maxBrackets { throw error("too many nested parentheses", at: j) }
                brackets.append(Bracket(open: c, offset: j, owner: level, inSpec: false))
                tokens.append(Token(kind: .op, start: j, end: j + 1, op: .lbrace))
                i = j + 1
                return
            case UInt8(ascii: "}"):
                if spec {
                    brackets.removeLast()
                    tokens.append(Token(kind: .op, start: j, end: j + 1, op: .rbrace))
                    i = j + 1
                    return
                }
                if p[j + 1] == UInt8(ascii: "}") {
                    j += 2
                    continue
                }
                throw error("f-string: single '}' is not allowed", at: j)
            case UInt8(ascii: "\\"):
                let e = p[j + 1]
                if e == UInt8(ascii: "{") || e == UInt8(ascii: "}") {
                    j += 1
                } else if !f.raw && e == UInt8(ascii: "N") && p[j + 2] == UInt8(ascii: "{") {
                    j += 3
                    while p[j] != UInt8(ascii: "}") && p[j] != f.quote && p[j] != 0x0A && p[j] != 0x0D && p[j] != 0 {
                        j += 1
                    }
                    if p[j] == UInt8(ascii: "}") { j += 1 }
                } else if e == 0x0A || e == 0x0D {
                    j += 1
                    if e == 0x0D && p[j + 1] == 0x0A { j += 1 }
                    j += 1
                    lineStarts.append(j)
                } else if e == 0 && j + 1 >= n {
                    throw unterminated(f.start, triple: f.triple, format: true, at: j + 1)
                } else {
                    j += 1
                    if e < 0x80 { j += 1 }
                }
            case 0x0A, 0x0D:
                if !f.triple && !spec { throw unterminated(f.start, triple: false, format: true, at: j) }
                if c == 0x0D && p[j + 1] == 0x0A { j += 1 }
                j += 1
                lineStarts.append(j)
            case 0:
                if j >= n { throw unterminated(f.start, triple: f.triple, format: true, at: j) }
                j += 1
            case 0x80...0xFF:
                j = try skipScalar(j)
            default:
                j += 1
            }
        }
    }

    // MARK: - Operators

    private mutating func emit(_ op: Op, _ length: Int) {
        tokens.append(Token(kind: .op, start: i, end: i + length, op: op))
        i += length
    }

    private mutating func operatorToken(_ c: UInt8) throws(PythonSyntaxError) {
        let c1 = p[i + 1]
        let c2 = p[i + 2]
        let eq = UInt8(ascii: "=")
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
            if brackets.count >= Lexer.maxBrackets { throw error("too many nested parentheses", at: i) }
            brackets.append(Bracket(open: c, offset: i, owner: -1, inSpec: false))
            emit(c == UInt8(ascii: "(") ? .lpar : c == UInt8(ascii: "[") ? .lsqb : .lbrace, 1)
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            // The closing character is made only for a message: made for every bracket, it cost a release each.
            guard let top = brackets.last else { throw error("unmatched '\(Character(Unicode.Scalar(c)))'", at: i) }
            // `(` + 1 is `)`; `[` + 2 is `]` and `{` + 2 is `}`.
            let expected = top.open == UInt8(ascii: "(") ? top.open + 1 : top.open + 2
            if c != expected {
                let closing = Character(Unicode.Scalar(c))
                if top.owner >= 0 { throw error("f-string: unmatched '\(closing)'", at: i) }
                let opening = Character(Unicode.Scalar(top.open))
                throw error("closing parenthesis '\(closing)' does not match opening parenthesis '\(opening)'", at: i)
            }
            brackets.removeLast()
            emit(c == UInt8(ascii: ")") ? .rpar : c == UInt8(ascii: "]") ? .rsqb : .rbrace, 1)
        case UInt8(ascii: ":"):
            if let top = brackets.last, top.owner >= 0, top.owner == fstrings.count - 1, !top.inSpec {
                brackets[brackets.count - 1].inSpec = true
                emit(.colon, 1)
            } else if c1 == eq {
                emit(.colonEqual, 2)
            } else {
                emit(.colon, 1)
            }
        case UInt8(ascii: ","): emit(.comma, 1)
        case UInt8(ascii: ";"): emit(.semi, 1)
        case eq: c1 == eq ? emit(.other, 2) : emit(.equal, 1)
        case UInt8(ascii: "@"): c1 == eq ? emit(.augAssign, 2) : emit(.at, 1)
        case UInt8(ascii: "-"):
            c1 == UInt8(ascii: ">") ? emit(.arrow, 2) : c1 == eq ? emit(.augAssign, 2) : emit(.minus, 1)
        case UInt8(ascii: "+"): c1 == eq ? emit(.augAssign, 2) : emit(.plus, 1)
        case UInt8(ascii: "*"):
            if c1 == UInt8(ascii: "*") {
                c2 == eq ? emit(.augAssign, 3) : emit(.doubleStar, 2)
            } else {
                c1 == eq ? emit(.augAssign, 2) : emit(.star, 1)
            }
        case UInt8(ascii: "/"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            if c1 == c {
                c2 == eq ? emit(.augAssign, 3) : emit(.other, 2)
            } else if c1 == eq {
                emit(c == UInt8(ascii: "/") ? .augAssign : .other, 2)
            } else {
                emit(.other, 1)
            }
        case UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "^"):
            c1 == eq ? emit(.augAssign, 2) : emit(.other, 1)
        case UInt8(ascii: "!"): c1 == eq ? emit(.other, 2) : emit(.exclamation, 1)
        case UInt8(ascii: "~"): emit(.tilde, 1)
        default:
            let hex = String(c, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            if c >= 0x20 && c < 0x7F {
                throw error("invalid character '\(Character(Unicode.Scalar(c)))' (U+\(padded))", at: i)
            }
            throw error("invalid non-printable character U+\(padded)", at: i)
        }
    }
}

/// UTF-8 well-formedness, as Unicode defines it (no overlongs, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    /// The length of the well-formed sequence at `j`, or 0 if it is malformed. Relies on the zero padding.
    @inline(__always) static func sequenceLength(_ p: UnsafePointer<UInt8>, _ j: Int) -> Int {
        let b0 = p[j]
        if b0 < 0x80 { return 1 }
        @inline(__always) func cont(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(p[j + 1]) ? 2 : 0
        case 0xE0...0xEF:
            let b1 = p[j + 1]
            let ok1 =
                b0 == 0xE0 ? (b1 >= 0xA0 && b1 <= 0xBF) : b0 == 0xED ? (b1 >= 0x80 && b1 <= 0x9F) : cont(b1)
            return ok1 && cont(p[j + 2]) ? 3 : 0
        case 0xF0...0xF4:
            let b1 = p[j + 1]
            let ok1 =
                b0 == 0xF0 ? (b1 >= 0x90 && b1 <= 0xBF) : b0 == 0xF4 ? (b1 >= 0x80 && b1 <= 0x8F) : cont(b1)
            return ok1 && cont(p[j + 2]) && cont(p[j + 3]) ? 4 : 0
        default:
            return 0
        }
    }
}
