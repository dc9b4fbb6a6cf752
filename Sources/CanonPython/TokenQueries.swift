import CanonCore

/// Helpers that read expressions off the token array: brackets, splitting, names, folded text, literals.
struct TokenQueries {
    let source: SourceBuffer
    let tokens: [Token]

    /// The index of the bracket closing the one opened at `open`.
    func matching(_ open: Int) -> Int {
        var depth = 0
        var k = open
        while k < tokens.count {
            let op = tokens[k].op
            if op.isOpening {
                depth += 1
            } else if op.isClosing {
                depth -= 1
                if depth == 0 { return k }
            } else if tokens[k].kind == .endMarker {
                return k
            }
            k += 1
        }
        return tokens.count - 1
    }

    /// Splits `[a, b)` at commas outside brackets. A trailing comma yields no empty last element.
    func splitCommas(_ a: Int, _ b: Int) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        // Room for a usual list up front: grown from empty, a list of three was allocated three times.
        parts.reserveCapacity(8)
        var depth = 0
        var start = a
        var k = a
        while k < b {
            let op = tokens[k].op
            if op.isOpening {
                depth += 1
            } else if op.isClosing {
                depth -= 1
            } else if depth == 0 && op == .comma {
                parts.append(start..<k)
                start = k + 1
            }
            k += 1
        }
        if start < b { parts.append(start..<b) }
        return parts
    }

    func hasTopLevelComma(_ a: Int, _ b: Int) -> Bool {
        var depth = 0
        for k in a..<b {
            let op = tokens[k].op
            if op.isOpening { depth += 1 } else if op.isClosing { depth -= 1 } else if depth == 0 && op == .comma {
                return true
            }
        }
        return false
    }

    /// Whether `[a, b)` is exactly one bracketed group.
    func isWrapped(_ a: Int, _ b: Int) -> Bool {
        b - a >= 2 && tokens[a].op.isOpening && matching(a) == b - 1
    }

    func text(_ k: Int) -> String { source.text(tokens[k]) }

    func `is`(_ k: Int, _ word: StaticString) -> Bool {
        tokens[k].kind == .name && source.tokenEquals(tokens[k], word)
    }

    /// Whether token `k` reads as `name` (`text(k) == name`), told from its bytes where they are UTF-8.
    func spells(_ k: Int, _ name: String) -> Bool {
        guard source.countCodePoints else { return text(k) == name }
        let start = tokens[k].start.asInt
        return tokens[k].end.asInt - start == name.utf8.count && source.bytes(at: start, spell: name.utf8)
    }

    /// Whether token `k` reads as one of `names` (`names.contains(text(k))` for the set they were made from),
    /// without making it a string to hash.
    func spellsOne(of names: NameBytes, _ k: Int) -> Bool {
        guard source.countCodePoints || names.isASCII else { return names.strings.contains(text(k)) }
        return names.contains(source, from: tokens[k].start.asInt, to: tokens[k].end.asInt)
    }

    func range(_ a: Int, _ b: Int) -> SourceRange {
        source.range(from: tokens[a].start.asInt, to: tokens[b].end.asInt)
    }

    /// `[a, b)` is `name(.name)*`.
    func isDottedName(_ a: Int, _ b: Int) -> Bool {
        guard b > a, (b - a) % 2 == 1 else { return false }
        for k in a..<b {
            if (k - a) % 2 == 0 ? !tokens[k].isIdentifier : tokens[k].op != .dot { return false }
        }
        return true
    }

    func dottedText(_ a: Int, _ b: Int) -> String {
        if let span = writtenTogether(a, b) { return span }
        var parts: [String] = []
        var k = a
        while k < b {
            parts.append(text(k))
            k += 2
        }
        return parts.joined(separator: ".")
    }

    /// The source text of `[a, b)` when it is a dotted name written without spaces or line breaks (`a.b.c`, as
    /// nearly all are): one string made from the source, rather than one per name and their join.
    func writtenTogether(_ a: Int, _ b: Int) -> String? {
        guard isDottedName(a, b) else { return nil }
        for k in a..<(b - 1) where tokens[k].end != tokens[k + 1].start { return nil }
        return source.text(tokens[a].start.asInt, tokens[b - 1].end.asInt)
    }

    /// The index after the f-string that starts at `k`.
    func fstringEnd(_ k: Int) -> Int {
        var depth = 0
        var j = k
        while j < tokens.count {
            if tokens[j].kind == .fstringStart {
                depth += 1
            } else if tokens[j].kind == .fstringEnd {
                depth -= 1
                if depth == 0 { return j + 1 }
            } else if tokens[j].kind == .endMarker {
                return j
            }
            j += 1
        }
        return j
    }

    /// The source text of `[a, b)` with white space folded: comments and line breaks dropped, each gap between
    /// tokens becomes one space, except just inside brackets. String literals are kept as written.
    func folded(_ a: Int, _ b: Int) -> String { folded(a, b, keeping: .max) }

    /// A value's text as the facts keep it: `folded(a, b)` cut by `ValueText.capped`. Folding stops one byte
    /// past the limit, so a value written over megabytes (a generated module's data) costs what its first
    /// bytes cost; folding a prefix of the tokens gives a prefix of the folded text, so the cut is the same.
    func foldedValue(_ a: Int, _ b: Int) -> String {
        ValueText.capped(folded(a, b, keeping: ValueText.limit + 1))
    }

    /// `folded(a, b)`, or its first `keeping` bytes when it is longer (the last token written may be cut short,
    /// in the middle of a character).
    private func folded(_ a: Int, _ b: Int, keeping: Int) -> String {
        // Folding only drops or narrows what lies between tokens, so the text fits in the span of the source it
        // comes from: written into room of that size, with no append's checks for each token of a long value.
        let span = b > a ? tokens[b - 1].end.asInt - tokens[a].start.asInt : 0
        if span <= keeping, let asWritten = foldedAsWritten(a, b) { return asWritten }
        // An empty span folds to nothing; and an array made with no room is the shared empty one, whose count
        // `unsafeUninitializedCapacity` writes (a zero over a zero, but threads doing it at once race).
        guard span > 0 else { return "" }
        let room = min(span, keeping)
        let out = [UInt8](unsafeUninitializedCapacity: room) { buffer, written in
            source.bytes.withUnsafeBufferPointer { bytes in
                var previousEnd = -1
                var previousOpens = false
                var k = a
                while k < b && written < room {
                    let t = tokens[k]
                    let start = t.start.asInt
                    var end = t.end.asInt
                    var next = k + 1
                    if t.kind == .fstringStart {
                        next = min(fstringEnd(k), b)
                        end = tokens[next - 1].end.asInt
                    }
                    if t.kind == .newline || t.kind == .indent || t.kind == .dedent {
                        k = next
                        continue
                    }
                    let space = previousEnd >= 0 && start > previousEnd && !previousOpens && !t.op.isClosing
                    if space {
                        buffer[written] = 0x20
                        written += 1
                    }
                    let count = min(end - start, room - written)
                    precondition(written + count <= buffer.count, "folded text past its source")
                    (buffer.baseAddress! + written).initialize(from: bytes.baseAddress! + start, count: count)
                    written += count
                    previousEnd = end
                    previousOpens = t.op.isOpening
                    k = next
                }
            }
        }
        if source.countCodePoints { return String(decoding: out, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for b in out { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    /// `folded(a, b)` when folding changes nothing (most values): tokens on one line, each gap one space and
    /// none just inside brackets, no f-string; then the source text is the folded text, made in one piece.
    private func foldedAsWritten(_ a: Int, _ b: Int) -> String? {
        guard b > a else { return nil }
        for k in a..<b {
            let t = tokens[k]
            if t.kind == .newline || t.kind == .indent || t.kind == .dedent || t.kind == .fstringStart { return nil }
            guard k + 1 < b else { break }
            let gap = tokens[k + 1].start.asInt - t.end.asInt
            if gap == 0 { continue }
            guard gap == 1, source.bytes[t.end.asInt] == 0x20, !t.op.isOpening, !tokens[k + 1].op.isClosing else { return nil }
        }
        return source.text(tokens[a].start.asInt, tokens[b - 1].end.asInt)
    }

    // MARK: - Literals

    /// The value of `[a, b)` when it is one or more adjacent plain (not bytes, not f-) string literals.
    func stringValue(_ a: Int, _ b: Int) -> String? {
        guard b > a else { return nil }
        var result = ""
        for k in a..<b {
            guard tokens[k].kind == .string, let value = stringLiteral(tokens[k]) else { return nil }
            result += value
        }
        return result
    }

    /// Decodes a plain string literal token; nil for bytes.
    func stringLiteral(_ token: Token) -> String? {
        let bytes = source.bytes
        var k = token.start.asInt
        var raw = false
        while bytes[k] != UInt8(ascii: "\"") && bytes[k] != UInt8(ascii: "'") {
            switch bytes[k] | 0x20 {
            case UInt8(ascii: "b"): return nil
            case UInt8(ascii: "r"): raw = true
            default: break
            }
            k += 1
        }
        let quote = bytes[k]
        let quoteLength = bytes[k + 1] == quote && bytes[k + 2] == quote && token.end.asInt - k >= 6 ? 3 : 1
        let contentStart = k + quoteLength
        let contentEnd = token.end.asInt - quoteLength
        guard contentEnd >= contentStart else { return "" }
        let content = source.text(contentStart, contentEnd)
        return raw ? content : Self.unescape(content)
    }

    static func unescape(_ text: String) -> String {
        // By code unit: `contains` of a string went through Foundation's search, thousands of instructions.
        guard text.utf8.contains(UInt8(ascii: "\\")) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var k = 0
        func hexValue(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= scalars.count else { return nil }
            return UInt32(String(String.UnicodeScalarView(scalars[from..<(from + count)])), radix: 16)
        }
        while k < scalars.count {
            let c = scalars[k]
            guard c == "\\", k + 1 < scalars.count else {
                out.append(c)
                k += 1
                continue
            }
            let e = scalars[k + 1]
            k += 2
            switch e {
            case "\n": break
            case "\r": if k < scalars.count && scalars[k] == "\n" { k += 1 }
            case "\\", "'", "\"": out.append(e)
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "x", "u", "U":
                let width = e == "x" ? 2 : e == "u" ? 4 : 8
                if let value = hexValue(k, width), let scalar = Unicode.Scalar(value) {
                    out.append(scalar)
                    k += width
                } else {
                    out.append("\\")
                    out.append(e)
                }
            case "0"..."7":
                var value = e.value - 48
                var digits = 1
                while digits < 3 && k < scalars.count && scalars[k].value >= 48 && scalars[k].value <= 55 {
                    value = value * 8 + scalars[k].value - 48
                    k += 1
                    digits += 1
                }
                if let scalar = Unicode.Scalar(value) { out.append(scalar) }
            default:
                out.append("\\")
                out.append(e)
            }
        }
        return String(out)
    }

    // MARK: - Values

    /// What kind of value `[a, b)` is.
    func valueKind(_ a: Int, _ b: Int) -> ValueKind {
        var a = a
        var b = b
        // Parentheses around a non-tuple are only grouping; peel them iteratively.
        while true {
            guard b > a else { return .other }
            if hasTopLevelComma(a, b) { return tupleKind(splitCommas(a, b)) }
            guard isWrapped(a, b) else { break }
            switch tokens[a].op {
            case .lsqb, .lbrace:
                return .mutableLiteral
            default:
                if b - a == 2 { return .immutableLiteral }
                if hasTopLevelComma(a + 1, b - 1) { return tupleKind(splitCommas(a + 1, b - 1)) }
                if hasTopLevelKeyword(a + 1, b - 1, .for) { return .other }
                a += 1
                b -= 1
            }
        }
        let first = tokens[a]
        if isStringConcatenation(a, b) { return .immutableLiteral }
        if b - a == 1 {
            switch first.keyword {
            case .none_, .true_, .false_: return .immutableLiteral
            default: break
            }
            if first.kind == .number || first.op == .ellipsis { return .immutableLiteral }
        }
        if b - a == 2 && (first.op == .minus || first.op == .plus) && tokens[a + 1].kind == .number {
            return .immutableLiteral
        }
        if isDottedName(a, b) { return .alias(dottedText(a, b)) }
        if tokens[b - 1].op == .rpar {
            let open = openingOf(b - 1, from: a)
            if open > a && isDottedName(a, open) { return .call(dottedText(a, open)) }
        }
        return .other
    }

    private func tupleKind(_ elements: [Range<Int>]) -> ValueKind {
        for element in elements {
            if tokens[element.lowerBound].op == .star { return .other }
            if valueKind(element.lowerBound, element.upperBound) != .immutableLiteral { return .other }
        }
        return .immutableLiteral
    }

    func hasTopLevelKeyword(_ a: Int, _ b: Int, _ keyword: Keyword) -> Bool {
        var depth = 0
        for k in a..<b {
            let t = tokens[k]
            if t.op.isOpening { depth += 1 } else if t.op.isClosing { depth -= 1 } else if depth == 0 && t.keyword == keyword {
                return true
            }
        }
        return false
    }

    /// The opening bracket matching the closing one at `close`, searching back no further than `from`.
    func openingOf(_ close: Int, from lower: Int) -> Int {
        var depth = 0
        var k = close
        while k >= lower {
            let op = tokens[k].op
            if op.isClosing {
                depth += 1
            } else if op.isOpening {
                depth -= 1
                if depth == 0 { return k }
            }
            k -= 1
        }
        return -1
    }

    func isStringConcatenation(_ a: Int, _ b: Int) -> Bool {
        var k = a
        while k < b {
            switch tokens[k].kind {
            case .string: k += 1
            case .fstringStart: k = fstringEnd(k)
            default: return false
            }
        }
        return k == b
    }

    /// The plain names bound by an assignment target, with their token index: `a`, `a, b`, `(a, [b, *c])`.
    /// Attribute and subscript targets bind no name.
    func targetNames(_ a: Int, _ b: Int) -> [Int] {
        // Most targets that reach here are an attribute or a subscript (no name) or one name: told apart without
        // the work list, which was allocated for each of them.
        let lower = b > a && tokens[a].op == .star ? a + 1 : a
        guard b > lower else { return [] }
        if !hasTopLevelComma(lower, b) && !(isWrapped(lower, b) && tokens[lower].op != .lbrace) {
            return b - lower == 1 && tokens[lower].isIdentifier ? [lower] : []
        }
        var names: [Int] = []
        var work: [Range<Int>] = [a..<b]
        while let next = work.popLast() {
            var lower = next.lowerBound
            let upper = next.upperBound
            guard upper > lower else { continue }
            if tokens[lower].op == .star { lower += 1 }
            guard upper > lower else { continue }
            if hasTopLevelComma(lower, upper) {
                work.append(contentsOf: splitCommas(lower, upper).reversed())
            } else if upper - lower == 1 && tokens[lower].isIdentifier {
                names.append(lower)
            } else if isWrapped(lower, upper) && tokens[lower].op != .lbrace {
                work.append((lower + 1)..<(upper - 1))
            }
        }
        return names
    }
}

/// A few names, kept as their UTF-8 bytes one after another, so that a token can be matched against them byte
/// by byte: most tokens read against such a set (a file's imported modules, the mutating methods) are in none
/// of them, and making each a string and hashing it cost more than reading the source again.
struct NameBytes {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    /// The names as strings, for files whose bytes are not UTF-8.
    private(set) var strings: Set<String> = []
    /// Whether every name is ASCII, whose bytes are the same in every encoding Canon reads.
    private(set) var isASCII = true

    init(_ names: some Sequence<String> = [String]()) {
        for name in names { insert(name) }
    }

    /// Adds `name`; a name already there is not added again.
    mutating func insert(_ name: String) {
        guard strings.insert(name).inserted else { return }
        bytes.append(contentsOf: name.utf8)
        ends.append(bytes.count)
        if name.utf8.contains(where: { $0 >= 0x80 }) { isASCII = false }
    }

    /// Whether the source's bytes from `start` to `end` are one of the names' bytes.
    func contains(_ source: SourceBuffer, from start: Int, to end: Int) -> Bool {
        var nameStart = 0
        for nameEnd in ends {
            defer { nameStart = nameEnd }
            if nameEnd - nameStart == end - start && source.bytes(at: start, spell: bytes[nameStart..<nameEnd]) { return true }
        }
        return false
    }
}
