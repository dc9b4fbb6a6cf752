/// The kinds of token the lexer produces. F-string literal parts are not emitted: an f-string is an
/// `fstringStart`, the tokens of its replacement fields, and an `fstringEnd`.
enum TokenKind: UInt8, Sendable {
    case name
    case number
    case string
    case fstringStart
    case fstringEnd
    case op
    case newline
    case indent
    case dedent
    case endMarker
}

/// Operators the statement reader tells apart; every other operator is `.other`.
enum Op: UInt8, Sendable {
    case none
    case lpar, rpar, lsqb, rsqb, lbrace, rbrace
    case colon, comma, semi, dot, ellipsis, equal, at, arrow, colonEqual
    case star, doubleStar, minus, plus, tilde, exclamation
    case augAssign
    case other

    var isOpening: Bool { self == .lpar || self == .lsqb || self == .lbrace }
    var isClosing: Bool { self == .rpar || self == .rsqb || self == .rbrace }
}

/// Python keywords, hard and soft, recognised on `name` tokens.
enum Keyword: UInt8, Sendable {
    case none
    case `import`, from, `as`, def, `class`, async, await, `if`, elif, `else`, `try`, except, finally, with, `for`
    case `while`, lambda, `return`, global, nonlocal, del, pass, not, `in`, `is`, and, or, yield, raise, `break`
    case `continue`, assert, none_, true_, false_
    case match, `case`, type, underscore
}

/// One token: its kind and its byte span in the source buffer.
struct Token: Sendable {
    var start: UInt32
    var end: UInt32
    var kind: TokenKind
    var op: Op
    var keyword: Keyword

    init(kind: TokenKind, start: Int, end: Int, op: Op = .none, keyword: Keyword = .none) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
        self.kind = kind
        self.op = op
        self.keyword = keyword
    }

    var isName: Bool { kind == .name }
    /// A name that is not a hard keyword (soft keywords such as `match` and `type` are plain names).
    var isIdentifier: Bool {
        kind == .name
            && (keyword == .none || keyword == .match || keyword == .case || keyword == .type
                || keyword == .underscore)
    }
}
