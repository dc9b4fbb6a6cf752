import CanonCore

/// A bound on how deeply a file nests, checked on its bytes before swift-syntax reads it.
///
/// swift-syntax recurses over nesting without a bound in places its `maximumNestingLevel` does not cover
/// (lookahead over `[[[...`, `A<A<...`, `try try ...`, `#if` inside `#if`), and every `SyntaxVisitor` recurses
/// over the tree, where a chain such as `a.b.b.b...` or `f()()()...` is as deep as it is long. 100,000 levels
/// overflow any thread's stack. This scan estimates, in one pass over the bytes, an upper bound of the depth
/// those recursions reach: brackets, string interpolations and `#if` blocks, plus, within each, the chain of
/// postfix members, calls, subscripts, `?`/`!`, generic arguments, `->` and prefix operators and keywords
/// that nest one inside the other. Comments and string literals are skipped. Ordinary code stays far below
/// the limit (the parser gives up on nesting beyond 256 anyway); a file over it is a `SourceError`.
enum SwiftNesting {
    /// The deepest estimate accepted. Recursion this deep fits an 8 MiB stack, also in debug and
    /// address-sanitized builds.
    static let limit = 1000
    /// The longest run of `[` (white space between) accepted: swift-syntax's lookahead tries each as the start
    /// of an array type, in time exponential in the run (16 in a row take seconds, 40 forever).
    static let bracketRunLimit = 12

    /// Throws a `SourceError` at the first place where the estimate exceeds `limit`.
    static func check(_ source: [UInt8]) throws(SourceError) {
        var scanner = Scanner(bytes: source)
        if let offset = scanner.firstOffsetOverLimit() {
            let (line, column) = LineIndex(source).position(of: offset, in: source)
            throw SourceError(
                line: line, column: column,
                message: scanner.bracketRun > bracketRunLimit
                    ? "more than \(bracketRunLimit) '[' in a row here; Canon reads no more, so name the inner values or types"
                    : "the code nests more than \(limit) levels deep here (brackets, chained members or calls, "
                        + "generic arguments, prefixes); Canon reads no deeper, so split the expression")
        }
    }

    private struct Scanner {
        enum Frame {
            case bracket
            case condition
            /// A string interpolation `\(...)`, inside a literal with `hashes` `#`s, multi-line or not.
            case interpolation(hashes: Int, multiline: Bool)
        }

        let bytes: [UInt8]
        var i = 0
        /// The depth at which the innermost frame's contents start, and the chain within it.
        var depth = 0
        var chain = 0
        var frames: [(frame: Frame, depth: Int, chain: Int)] = []
        /// The `[` read one after the other, white space and comments between.
        var bracketRun = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        func at(_ k: Int) -> UInt8 { k < bytes.count ? bytes[k] : 0 }

        /// Nests one level deeper in the current chain; true when that goes over the limit.
        mutating func deepen() -> Bool {
            chain += 1
            return depth + chain > SwiftNesting.limit
        }

        mutating func open(_ frame: Frame) -> Bool {
            if deepen() { return true }
            frames.append((frame, depth, chain))
            depth += chain
            chain = 0
            return false
        }

        mutating func firstOffsetOverLimit() -> Int? {
            while i < bytes.count {
                let c = bytes[i]
                let start = i
                let comment = c == UInt8(ascii: "/") && (at(i + 1) == UInt8(ascii: "/") || at(i + 1) == UInt8(ascii: "*"))
                if !(comment || Self.isSpace(c) || c == UInt8(ascii: "[")) { bracketRun = 0 }
                switch c {
                case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "/"):
                    while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "*"):
                    skipBlockComment()
                case 0x0A, 0x0D:
                    i += 1
                    if !continuesChain() { chain = 0 }
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    i += 1
                    if c == UInt8(ascii: "[") {
                        bracketRun += 1
                        if bracketRun > SwiftNesting.bracketRunLimit { return start }
                    }
                    if open(.bracket) { return start }
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    i += 1
                    if let top = frames.last, case .condition = top.frame {
                        // An unbalanced bracket inside `#if`: leave the `#if` frame to its `#endif`.
                    } else if let top = frames.popLast() {
                        (depth, chain) = (top.depth, top.chain)
                        if case .interpolation(let hashes, let multiline) = top.frame, c == UInt8(ascii: ")") {
                            if let over = skipString(hashes: hashes, multiline: multiline) { return over }
                        }
                    }
                case UInt8(ascii: "\""):
                    if let over = skipString(hashes: 0, multiline: nil) { return over }
                case UInt8(ascii: "#"):
                    var hashes = 0
                    while at(i + hashes) == UInt8(ascii: "#") { hashes += 1 }
                    if at(i + hashes) == UInt8(ascii: "\"") {
                        i += hashes
                        if let over = skipString(hashes: hashes, multiline: nil) { return over }
                    } else if at(i + hashes) == UInt8(ascii: "/") {
                        skipRegex(hashes: hashes)
                    } else {
                        i += 1
                        let word = identifier()
                        if word == "if" {
                            if open(.condition) { return start }
                        } else if word == "else" || word == "elseif" || word == "endif" {
                            closeBranch(endingCondition: word == "endif")
                        }
                    }
                case UInt8(ascii: "`"):
                    i += 1
                    while i < bytes.count && bytes[i] != UInt8(ascii: "`") && bytes[i] != 0x0A { i += 1 }
                    i += 1
                case UInt8(ascii: "."):
                    if at(i + 1) == UInt8(ascii: ".") {
                        while at(i) == UInt8(ascii: ".") || Self.isOperator(at(i)) { i += 1 }
                        chain = 0
                    } else {
                        i += 1
                        if deepen() { return start }
                    }
                case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"):
                    i += 1
                    chain = 0
                case _ where Self.isOperator(c):
                    for _ in 0..<operatorLevels() where deepen() { return start }
                case _ where Self.isIdentifierStart(c):
                    let word = identifier()
                    if Self.prefixKeywords.contains(word), deepen() { return start }
                default:
                    i += 1
                }
            }
            return nil
        }

        /// At `#else`/`#elseif`, drops the brackets the previous branch opened (the next branch opens its
        /// own); at `#endif`, the `#if` too.
        mutating func closeBranch(endingCondition: Bool) {
            guard let index = frames.lastIndex(where: { if case .condition = $0.frame { true } else { false } }) else { return }
            let condition = frames[index]
            frames.removeSubrange((index + 1)...)
            if endingCondition {
                frames.removeLast()
                (depth, chain) = (condition.depth, condition.chain)
            } else {
                (depth, chain) = (condition.depth + condition.chain, 0)
            }
        }

        static let prefixKeywords: Set<Substring> = [
            "try", "await", "consume", "copy", "borrow", "each", "repeat", "some", "any", "inout", "unsafe",
        ]

        static func isOperator(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "!"),
                UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"),
                UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "~"), UInt8(ascii: "?"):
                true
            default: false
            }
        }

        static func isIdentifierStart(_ c: UInt8) -> Bool {
            (c | 0x20) &- 97 < 26 || c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || c >= 0x80
        }

        static func isSpace(_ c: UInt8) -> Bool {
            c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C || c == 0
        }

        mutating func identifier() -> Substring {
            let start = i
            while i < bytes.count && (Self.isIdentifierStart(bytes[i]) || bytes[i] &- 48 < 10) { i += 1 }
            return Substring(decoding: bytes[start..<i], as: UTF8.self)
        }

        /// Reads one operator and gives the levels it nests: one for a prefix operator, `<` or `->`, one per
        /// character of postfix `?`/`!` (each is a node); none for a binary operator, which the parser keeps
        /// flat, so the chain ends there.
        mutating func operatorLevels() -> Int {
            let start = i
            while i < bytes.count && Self.isOperator(bytes[i]) {
                // `//` and `/*` start comments even right after an operator.
                if bytes[i] == UInt8(ascii: "/") && i > start && (at(i + 1) == UInt8(ascii: "/") || at(i + 1) == UInt8(ascii: "*")) { break }
                i += 1
            }
            let spaceBefore = start == 0 || Self.isSpace(bytes[start - 1])
            let spaceAfter = Self.isSpace(at(i))
            let first = bytes[start]
            if first == UInt8(ascii: "<") || (i - start == 2 && first == UInt8(ascii: "-") && bytes[start + 1] == UInt8(ascii: ">")) {
                return 1
            }
            if !spaceBefore && (first == UInt8(ascii: "?") || first == UInt8(ascii: "!")) { return i - start }
            if spaceBefore && !spaceAfter { return 1 }
            if !spaceBefore && spaceAfter { return first == UInt8(ascii: ">") ? 0 : 1 }
            chain = 0
            return 0
        }

        /// Whether the line after a line break starts with `.`, continuing a member chain.
        func continuesChain() -> Bool {
            var k = i
            while k < bytes.count && Self.isSpace(bytes[k]) { k += 1 }
            return at(k) == UInt8(ascii: ".") && at(k + 1) != UInt8(ascii: ".")
        }

        mutating func skipBlockComment() {
            var level = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                    level += 1
                    i += 2
                } else if bytes[i] == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/") {
                    level -= 1
                    i += 2
                    if level == 0 { return }
                } else {
                    i += 1
                }
            }
        }

        mutating func skipRegex(hashes: Int) {
            i += hashes + 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") {
                    i += 2
                } else if bytes[i] == UInt8(ascii: "/") && (0..<hashes).allSatisfy({ at(i + 1 + $0) == UInt8(ascii: "#") }) {
                    i += hashes + 1
                    return
                } else {
                    i += 1
                }
            }
        }

        /// Skips a string literal from its opening quote (or, with `multiline` known, from inside it after an
        /// interpolation) to its end; at an interpolation, opens its frame and returns to reading code.
        /// Returns an offset when that interpolation goes over the limit.
        mutating func skipString(hashes: Int, multiline known: Bool?) -> Int? {
            var multiline = known ?? false
            if known == nil {
                multiline = at(i + 1) == UInt8(ascii: "\"") && at(i + 2) == UInt8(ascii: "\"")
                i += multiline ? 3 : 1
            }
            func closesWithHashes(_ k: Int) -> Bool { (0..<hashes).allSatisfy { at(k + $0) == UInt8(ascii: "#") } }
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\\") && closesWithHashes(i + 1) {
                    let k = i + 1 + hashes
                    if at(k) == UInt8(ascii: "(") {
                        let start = i
                        i = k + 1
                        return open(.interpolation(hashes: hashes, multiline: multiline)) ? start : nil
                    }
                    i = k + 1
                } else if c == UInt8(ascii: "\"") {
                    if !multiline || (at(i + 1) == UInt8(ascii: "\"") && at(i + 2) == UInt8(ascii: "\"")) {
                        let end = i + (multiline ? 3 : 1)
                        if closesWithHashes(end) {
                            i = end + hashes
                            return nil
                        }
                    }
                    i += 1
                } else if (c == 0x0A || c == 0x0D) && !multiline {
                    return nil
                } else {
                    i += 1
                }
            }
            return nil
        }
    }
}
