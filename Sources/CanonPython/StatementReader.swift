/// The kinds of statement the reader distinguishes. Everything that is not a compound statement or clause is
/// `.simple`; the facts extractor looks at its tokens.
enum StatementKind: UInt8, Sendable {
    case simple
    case ifStatement, elifClause, elseClause, whileStatement, forStatement, tryStatement, exceptClause
    case finallyClause, withStatement, functionDef, classDef, matchStatement, caseClause

    var name: String {
        switch self {
        case .simple: "simple"
        case .ifStatement: "if"
        case .elifClause: "elif"
        case .elseClause: "else"
        case .whileStatement: "while"
        case .forStatement: "for"
        case .tryStatement: "try"
        case .exceptClause: "except"
        case .finallyClause: "finally"
        case .withStatement: "with"
        case .functionDef: "def"
        case .classDef: "class"
        case .matchStatement: "match"
        case .caseClause: "case"
        }
    }
}

/// One statement or clause, as token indices. Statements are stored in source order, so a parent always comes
/// before its children.
struct Statement: Sendable {
    var kind: StatementKind
    /// The first token (`async` for `async def`/`for`/`with`).
    var first: Int
    /// For a simple statement, the end of its tokens (exclusive, without a `;`); for a compound one, the index
    /// of the `:` that ends the header.
    var headerEnd: Int
    /// The compound statement or clause whose body holds this one, or -1 at module level.
    var parent: Int
    /// The last token of the statement, body included (inclusive).
    var last: Int
    /// For `elif`, `else`, `except` and `finally`, the clause just before it in the same compound statement.
    var previousClause: Int = -1
    /// For a `try`, whether one of its handlers catches `ImportError` or `ModuleNotFoundError`.
    var catchesImportError = false
    /// The decorators of a `def` or `class`, as indices into `StatementTree.decorators`.
    var decorators: Range<Int> = 0..<0
}

/// The statement structure of a file.
struct StatementTree: Sendable {
    var statements: [Statement] = []
    /// Token ranges of decorator expressions (after the `@`, up to the end of the line).
    var decorators: [Range<Int>] = []
}

/// Reads logical lines into statements and checks the block structure: an indented block exactly after each
/// header that ends its line, and nowhere else.
struct StatementReader {
    private let tokens: [Token]
    private let source: SourceBuffer
    private var tree = StatementTree()
    private var parents: [Int] = [-1]
    /// The last compound statement or clause at each open block level, to link clauses together.
    private var lastClause: [Int] = [-1]
    private var pending = -1
    private var pendingDecorators = 0
    private var lastEnd = -1

    init(tokens: [Token], source: SourceBuffer) {
        self.tokens = tokens
        self.source = source
        tree.statements.reserveCapacity(tokens.count / 6 + 8)
    }

    static func read(_ tokens: [Token], source: SourceBuffer) throws(PythonSyntaxError) -> StatementTree {
        var reader = StatementReader(tokens: tokens, source: source)
        try reader.run()
        return reader.tree
    }

    private func expectedBlock(at token: Int) -> PythonSyntaxError {
        let header = tree.statements[pending]
        let what: String
        switch header.kind {
        case .functionDef: what = "function definition"
        case .classDef: what = "class definition"
        default: what = "'\(header.kind.name)' statement"
        }
        let line = lineOfToken(header.first)
        return errorAt(tokens[token].start.asInt, "expected an indented block after \(what) on line \(line)")
    }

    private func lineOfToken(_ index: Int) -> Int {
        source.position(of: tokens[index].start.asInt).line
    }

    private func errorAt(_ offset: Int, _ message: String) -> PythonSyntaxError {
        source.error(message, at: offset)
    }

    private mutating func run() throws(PythonSyntaxError) {
        var i = 0
        while true {
            let token = tokens[i]
            switch token.kind {
            case .endMarker:
                if pending >= 0 { throw expectedBlock(at: i) }
                if pendingDecorators < tree.decorators.count {
                    throw errorAt(token.start.asInt, "expected 'def' or 'class' after a decorator")
                }
                try checkTryComplete(at: i)
                while parents.count > 1 { try closeBlock(at: i) }
                return
            case .indent:
                if pending < 0 { throw errorAt(tokens[i + 1].start.asInt, "unexpected indent") }
                parents.append(pending)
                lastClause.append(-1)
                pending = -1
                i += 1
            case .dedent:
                if pendingDecorators < tree.decorators.count {
                    throw errorAt(token.start.asInt, "expected 'def' or 'class' after a decorator")
                }
                try closeBlock(at: i)
                i += 1
            case .newline:
                i += 1
            default:
                if pending >= 0 { throw expectedBlock(at: i) }
                var end = i + 1
                while tokens[end].kind != .newline { end += 1 }
                try readLine(i, end)
                i = end + 1
            }
        }
    }

    private mutating func closeBlock(at token: Int) throws(PythonSyntaxError) {
        try checkTryComplete(at: token)
        let closed = parents.removeLast()
        lastClause.removeLast()
        if closed >= 0 { tree.statements[closed].last = lastEnd }
    }

    private func compoundKind(_ s: Int, _ e: Int) -> StatementKind? {
        switch tokens[s].keyword {
        case .if: return .ifStatement
        case .elif: return .elifClause
        case .else: return .elseClause
        case .while: return .whileStatement
        case .for: return .forStatement
        case .try: return .tryStatement
        case .except: return .exceptClause
        case .finally: return .finallyClause
        case .with: return .withStatement
        case .def: return .functionDef
        case .class: return .classDef
        case .async:
            switch tokens[s + 1].keyword {
            case .def: return .functionDef
            case .for: return .forStatement
            case .with: return .withStatement
            default: return nil
            }
        case .match:
            // No simple statement ends with a `:`, so a line that starts with `match` and ends with one is a
            // match statement; `match` is a plain name everywhere else.
            return e - s >= 3 && tokens[e - 1].op == .colon && tokens[s + 1].op != .colon ? .matchStatement : nil
        case .case:
            let parent = parents[parents.count - 1]
            return parent >= 0 && tree.statements[parent].kind == .matchStatement ? .caseClause : nil
        default:
            return nil
        }
    }

    /// The `:` that ends a compound statement's header: the first at bracket depth 0 that does not belong to a
    /// `lambda`.
    private func headerColon(_ s: Int, _ e: Int) -> Int {
        var depth = 0
        var lambdas = 0
        for k in s..<e {
            let t = tokens[k]
            if t.op.isOpening {
                depth += 1
            } else if t.op.isClosing {
                depth -= 1
            } else if depth == 0 {
                if t.keyword == .lambda {
                    lambdas += 1
                } else if t.op == .colon {
                    if lambdas == 0 { return k }
                    lambdas -= 1
                }
            }
        }
        return -1
    }

    /// A `try` must have an `except` or `finally` clause before the next statement or the end of its block.
    private func checkTryComplete(at token: Int) throws(PythonSyntaxError) {
        let last = lastClause[lastClause.count - 1]
        if last >= 0 && tree.statements[last].kind == .tryStatement {
            throw errorAt(tokens[token].start.asInt, "expected 'except' or 'finally' block")
        }
    }

    /// Whether a clause of `kind` may follow the clause `previous` (an index, or -1).
    private func mayFollow(_ kind: StatementKind, _ previous: Int) -> Bool {
        guard previous >= 0 else { return false }
        let before = tree.statements[previous].kind
        switch kind {
        case .elifClause: return before == .ifStatement || before == .elifClause
        case .elseClause:
            return before == .ifStatement || before == .elifClause || before == .forStatement
                || before == .whileStatement || before == .exceptClause
        case .exceptClause: return before == .tryStatement || before == .exceptClause
        case .finallyClause:
            if before == .tryStatement || before == .exceptClause { return true }
            let beforeElse = tree.statements[previous].previousClause
            return before == .elseClause && beforeElse >= 0 && tree.statements[beforeElse].kind == .exceptClause
        default: return true
        }
    }

    /// Checks the parts of a header the statement structure depends on: a name after `def`/`class` and an `in`
    /// in a `for` header.
    private func checkHeader(_ kind: StatementKind, _ s: Int, _ colon: Int) throws(PythonSyntaxError) {
        let keyword = tokens[s].keyword == .async ? s + 1 : s
        switch kind {
        case .functionDef, .classDef:
            let name = keyword + 1
            let after = tokens[name + 1].op
            let valid =
                tokens[name].isIdentifier
                && (after == .lpar || after == .lsqb || (kind == .classDef && name + 1 == colon))
            if !valid { throw errorAt(tokens[name].start.asInt, "invalid syntax") }
        case .forStatement:
            var depth = 0
            for k in (keyword + 1)..<colon {
                let t = tokens[k]
                if t.op.isOpening { depth += 1 } else if t.op.isClosing { depth -= 1 }
                if depth == 0 && t.keyword == .in { return }
            }
            throw errorAt(tokens[colon].start.asInt, "'in' expected after for-loop variables")
        default:
            break
        }
    }

    private mutating func readLine(_ s: Int, _ e: Int) throws(PythonSyntaxError) {
        let parent = parents[parents.count - 1]
        if parent >= 0 && tree.statements[parent].kind == .matchStatement && tokens[s].keyword != .case {
            throw errorAt(tokens[s].start.asInt, "expected 'case' block")
        }
        if tokens[s].op == .at {
            tree.decorators.append((s + 1)..<e)
            return
        }
        guard let kind = compoundKind(s, e) else {
            if pendingDecorators < tree.decorators.count {
                throw errorAt(tokens[s].start.asInt, "expected 'def' or 'class' after a decorator")
            }
            try checkTryComplete(at: s)
            lastClause[lastClause.count - 1] = -1
            readSimple(s, e, parent: parent)
            return
        }
        let colon = headerColon(s, e)
        if colon < 0 { throw errorAt(tokens[e].start.asInt, "expected ':'") }
        try checkHeader(kind, s, colon)
        var statement = Statement(kind: kind, first: s, headerEnd: colon, parent: parent, last: colon)
        if kind == .functionDef || kind == .classDef {
            statement.decorators = pendingDecorators..<tree.decorators.count
            pendingDecorators = tree.decorators.count
        } else if pendingDecorators < tree.decorators.count {
            throw errorAt(tokens[s].start.asInt, "expected 'def' or 'class' after a decorator")
        }
        let index = tree.statements.count
        switch kind {
        case .elifClause, .elseClause, .exceptClause, .finallyClause:
            statement.previousClause = lastClause[lastClause.count - 1]
            if !mayFollow(kind, statement.previousClause) {
                let last = lastClause[lastClause.count - 1]
                if last >= 0 && tree.statements[last].kind == .tryStatement {
                    throw errorAt(tokens[s].start.asInt, "expected 'except' or 'finally' block")
                }
                throw errorAt(tokens[s].start.asInt, "invalid syntax")
            }
        default:
            try checkTryComplete(at: s)
        }
        tree.statements.append(statement)
        if kind == .exceptClause && catchesImportError(s + 1, colon) {
            var head = statement.previousClause
            while head >= 0 && tree.statements[head].kind != .tryStatement { head = tree.statements[head].previousClause }
            if head >= 0 { tree.statements[head].catchesImportError = true }
        }
        lastClause[lastClause.count - 1] = index
        if colon + 1 < e {
            readSimple(colon + 1, e, parent: index)
            tree.statements[index].last = lastEnd
        } else {
            pending = index
        }
    }

    private mutating func readSimple(_ s: Int, _ e: Int, parent: Int) {
        var start = s
        var depth = 0
        var k = s
        while k <= e {
            let t = tokens[k]
            if k == e || (depth == 0 && t.op == .semi) {
                if k > start {
                    tree.statements.append(
                        Statement(kind: .simple, first: start, headerEnd: k, parent: parent, last: k - 1))
                }
                start = k + 1
            } else if t.op.isOpening {
                depth += 1
            } else if t.op.isClosing {
                depth -= 1
            }
            k += 1
        }
        // A block ends where its last line does, a trailing `;` included, as CPython's positions have it.
        lastEnd = e - 1
    }

    /// Whether an `except` clause's type (the tokens after `except`, up to the `:`) names `ImportError` or
    /// `ModuleNotFoundError`, alone, dotted (`builtins.ImportError`) or in a tuple. A bare `except:` and
    /// `except Exception:` do not count: they catch far more than a missing module.
    private func catchesImportError(_ s: Int, _ e: Int) -> Bool {
        var a = s
        if a < e && tokens[a].op == .star { a += 1 }
        var b = e
        var depth = 0
        for k in a..<e {
            let t = tokens[k]
            if t.op.isOpening { depth += 1 } else if t.op.isClosing { depth -= 1 }
            if depth == 0 && t.keyword == .as {
                b = k
                break
            }
        }
        if b - a >= 2 && tokens[a].op == .lpar && closes(a, at: b - 1) {
            a += 1
            b -= 1
        }
        var element = a
        depth = 0
        var k = a
        while k <= b {
            if k == b || (depth == 0 && tokens[k].op == .comma) {
                if isImportErrorName(element, k) { return true }
                element = k + 1
            } else if tokens[k].op.isOpening {
                depth += 1
            } else if tokens[k].op.isClosing {
                depth -= 1
            }
            k += 1
        }
        return false
    }

    /// Whether the bracket opened at `open` is closed at `close`.
    private func closes(_ open: Int, at close: Int) -> Bool {
        var depth = 0
        for k in open...close {
            if tokens[k].op.isOpening { depth += 1 } else if tokens[k].op.isClosing { depth -= 1 }
            if depth == 0 { return k == close }
        }
        return false
    }

    private func isImportErrorName(_ s: Int, _ e: Int) -> Bool {
        guard e > s, (e - s) % 2 == 1 else { return false }
        for k in s..<e {
            let t = tokens[k]
            if (k - s) % 2 == 0 ? !t.isIdentifier : t.op != .dot { return false }
        }
        let last = tokens[e - 1]
        return last.end - last.start == 11 && tokenIs(e - 1, "ImportError")
            || last.end - last.start == 19 && tokenIs(e - 1, "ModuleNotFoundError")
    }

    private func tokenIs(_ index: Int, _ word: StaticString) -> Bool {
        source.tokenEquals(tokens[index], word)
    }
}

extension UInt32 {
    @inline(__always) var asInt: Int { Int(self) }
}
