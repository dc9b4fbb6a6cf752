/// Turns the import moves of one file into text edits that keep what the file already says.
///
/// A statement whose names all move to one module has its module rewritten in place, so parentheses,
/// wrapping and comments stay as they are. Names that move out of a statement that keeps others are taken
/// out of it (with their commas; a line left empty goes too, a comment stays) and written in a new statement
/// right after it, at its indentation and in the file's line ending (after `;` when the statement shares its
/// line with code before it). A name joins an earlier import from the same module at the same indentation
/// and of the same kind, or is dropped when that import already binds it. A relative import stays relative
/// when the new module is inside the package it reaches. New statements go after the one they came from, so
/// `from __future__` imports and the docstring stay first. Renamed targets keep the local name with `as`.
public enum ImportRewriter {
    /// Why a file's moves could not be turned into edits.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String

        public init(_ message: String) { self.message = message }

        public var description: String { message }
    }

    /// The edits that carry out `moves` (all in the file `facts` describes) in its `text`, sorted and not
    /// overlapping. Fails when a move does not match the facts (the file changed since it was scanned) or the
    /// statement cannot be read.
    public static func edits(for moves: [ImportMove], in text: ScalarText, facts: FileFacts) -> Result<[TextEdit], Failure> {
        var rewriter = Rewriter(text: text, facts: facts)
        do throws(Failure) {
            try rewriter.run(moves)
        } catch {
            return .failure(error)
        }
        return .success(rewriter.finish())
    }

    /// How `target` is written in an import of `facts`' module whose original was written with `level` dots:
    /// relative (with as few dots as it needs) when the original was relative and `target` is inside the
    /// package it reached, else absolute.
    public static func spelling(of target: String, from facts: FileFacts, level: Int) -> String {
        guard level > 0 else { return target }
        var package = facts.isPackage ? facts.module : parent(of: facts.module)
        var reached = package
        for _ in 1..<level { reached = parent(of: reached) }
        guard !reached.isEmpty, ProjectIndex.isModule(target, within: reached) || target == reached else { return target }
        var dots = 1
        while !(target == package || ProjectIndex.isModule(target, within: package)) {
            package = parent(of: package)
            dots += 1
        }
        return String(repeating: ".", count: dots) + target.dropFirst(package.count).drop { $0 == "." }
    }

    private static func parent(of module: String) -> String {
        module.lastIndex(of: ".").map { String(module[..<$0]) } ?? ""
    }
}

private struct Rewriter {
    struct Pending {
        var offsets: Range<Int>
        var text: String
    }

    let text: ScalarText
    let facts: FileFacts
    var pending: [Pending] = []
    /// Clause texts to append to an existing import, by that import's statement range.
    var joins: [(statement: SourceRange, clauses: [String])] = []

    init(text: ScalarText, facts: FileFacts) {
        self.text = text
        self.facts = facts
    }

    var scalars: [Unicode.Scalar] { text.scalars }

    mutating func run(_ moves: [ImportMove]) throws(ImportRewriter.Failure) {
        var seen = Set<SourceRange>()
        let unique = moves.filter { seen.insert($0.clause).inserted }
        let byStatement = Dictionary(grouping: unique, by: \.statement)
        for statement in byStatement.keys.sorted() {
            try rewrite(statement, moves: byStatement[statement]!, touched: Set(byStatement.keys))
        }
        for join in joins {
            let clauses = facts.imports.filter { $0.statementRange == join.statement }.sorted { $0.range < $1.range }
            guard let last = clauses.last, let offsets = text.offsets(of: last.range) else {
                throw .init("line \(join.statement.line): the import to join is not where the scan saw it")
            }
            var added: [String] = []
            for clause in join.clauses where !added.contains(clause) { added.append(clause) }
            pending.append(Pending(offsets: offsets.upperBound..<offsets.upperBound, text: ", " + added.joined(separator: ", ")))
        }
    }

    func finish() -> [TextEdit] {
        pending.enumerated()
            .sorted { ($0.element.offsets.lowerBound, $0.offset) < ($1.element.offsets.lowerBound, $1.offset) }
            .map { TextEdit(path: facts.path, range: text.range(of: $0.element.offsets), replacement: $0.element.text) }
    }

    private mutating func rewrite(_ statement: SourceRange, moves: [ImportMove], touched: Set<SourceRange>) throws(ImportRewriter.Failure) {
        let clauses = facts.imports.filter { $0.form == .from && $0.statementRange == statement }.sorted { $0.range < $1.range }
        guard let first = clauses.first, let span = text.offsets(of: statement),
            scalars[span].starts(with: "from".unicodeScalars)
        else {
            throw .init("line \(statement.line): the import is not where the scan saw it; scan again")
        }
        var moveByClause: [SourceRange: ImportMove] = [:]
        for move in moves {
            guard clauses.contains(where: { $0.range == move.clause && $0.name == move.name }) else {
                throw .init("line \(move.clause.line): '\(move.name)' is not imported where the scan saw it; scan again")
            }
            moveByClause[move.clause] = move
        }
        let moved = clauses.filter { moveByClause[$0.range] != nil }
        var groups: [(target: String, clauses: [ImportFact])] = []
        for clause in moved {
            let target = moveByClause[clause.range]!.target
            if let k = groups.firstIndex(where: { $0.target == target }) {
                groups[k].clauses.append(clause)
            } else {
                groups.append((target, [clause]))
            }
        }
        let lineStart = text.lineStart(containing: span.lowerBound)
        let standalone = scalars[lineStart..<span.lowerBound].allSatisfy(Self.isBlank)
        let indent = standalone ? text.text(lineStart..<span.lowerBound) : ""

        let joinable = groups.map { group in
            // A name bound by anything else in the file keeps its place: moving its import earlier could change
            // which binding wins.
            group.clauses.allSatisfy { isBoundOnlyHere($0) }
                ? joinTarget(for: group.target, before: statement, like: first, touched: touched) : nil
        }
        if groups.count == 1, moved.count == clauses.count, joinable[0] == nil {
            let module = try moduleSpan(in: span, line: statement.line)
            pending.append(Pending(offsets: module, text: ImportRewriter.spelling(of: groups[0].target, from: facts, level: first.level)))
            for clause in moved {
                let move = moveByClause[clause.range]!
                guard move.targetName != move.name, let offsets = text.offsets(of: clause.range) else { continue }
                pending.append(Pending(offsets: offsets, text: clauseText(clause, move)))
            }
            return
        }

        var statements: [String] = []
        for (group, join) in zip(groups, joinable) {
            let texts = group.clauses.map { clauseText($0, moveByClause[$0.range]!) }
            if let join {
                let bound = Set(facts.imports.filter { $0.statementRange == join }.map { clauseKey($0.name ?? "", $0.boundName ?? "") })
                let fresh = zip(group.clauses, texts).filter { clause, _ in
                    let move = moveByClause[clause.range]!
                    return !bound.contains(clauseKey(move.targetName, clause.boundName ?? ""))
                }.map(\.1)
                if !fresh.isEmpty {
                    if let k = joins.firstIndex(where: { $0.statement == join }) {
                        joins[k].clauses += fresh
                    } else {
                        joins.append((join, fresh))
                    }
                }
            } else {
                let module = ImportRewriter.spelling(of: group.target, from: facts, level: first.level)
                statements.append("from \(module) import \(texts.joined(separator: ", "))")
            }
        }

        if moved.count == clauses.count {
            replaceWhole(span, with: statements, standalone: standalone, indent: indent)
            return
        }
        try removeClauses(moved, of: clauses, in: span)
        if !statements.isEmpty {
            if standalone {
                let end = text.lineEnd(containing: span.upperBound)
                pending.append(Pending(offsets: end..<end, text: statements.map { text.lineEnding + indent + $0 }.joined()))
            } else {
                pending.append(Pending(offsets: span.upperBound..<span.upperBound, text: statements.map { "; " + $0 }.joined()))
            }
        }
    }

    private func clauseKey(_ name: String, _ bound: String) -> String { "\(name) as \(bound)" }

    /// An earlier `from target import ...` of the same kind that no move rewrites, to add names to: at module
    /// level (column 1) for imports that run, at the same indentation under `TYPE_CHECKING`. Imports in
    /// functions, `try` blocks, class bodies and other blocks are left alone: an import in another branch
    /// or scope binds the name somewhere else.
    private func joinTarget(for target: String, before statement: SourceRange, like first: ImportFact, touched: Set<SourceRange>) -> SourceRange? {
        switch first.kind {
        case .runtime where statement.column == 1: break
        case .typeChecking: break
        default: return nil
        }
        return facts.imports.first {
            $0.form == .from && $0.module == target && $0.name != "*" && $0.kind == first.kind
                && $0.statementRange.column == statement.column && $0.statementRange < statement
                && !touched.contains($0.statementRange)
        }?.statementRange
    }

    /// Whether no other statement of the file binds the clause's local name (another import of it from the
    /// same place excepted).
    private func isBoundOnlyHere(_ clause: ImportFact) -> Bool {
        guard let bound = clause.boundName else { return false }
        let others = facts.imports.filter { $0.range != clause.range && $0.boundName == bound && $0.name != clause.name }
        return others.isEmpty && !facts.assignments.contains { $0.name == bound }
            && !facts.classes.contains { $0.isTopLevel && $0.name == bound }
            && !facts.functions.contains { $0.isTopLevel && $0.name == bound }
    }

    /// The clause as it is written in its new home: as written when the name stays, else the new name bound
    /// to the old local name.
    private func clauseText(_ clause: ImportFact, _ move: ImportMove) -> String {
        let bound = clause.boundName ?? move.name
        if move.targetName == move.name, let offsets = text.offsets(of: clause.range) { return text.text(offsets) }
        return move.targetName == bound ? bound : "\(move.targetName) as \(bound)"
    }

    /// The offsets of the module as written after `from` (dots included).
    private func moduleSpan(in span: Range<Int>, line: Int) throws(ImportRewriter.Failure) -> Range<Int> {
        var k = span.lowerBound + 4
        var start: Int?
        var end = k
        while k < span.upperBound {
            let c = scalars[k]
            if Self.isBlank(c) || c == "\n" || c == "\r" || c == "\\" {
                k += 1
            } else if c == "." {
                if start == nil { start = k }
                k += 1
                end = k
            } else if Self.isIdentifier(c) {
                var e = k
                while e < span.upperBound && Self.isIdentifier(scalars[e]) { e += 1 }
                if start != nil && String(String.UnicodeScalarView(scalars[k..<e])) == "import" { return start!..<end }
                if start == nil { start = k }
                k = e
                end = e
            } else {
                break
            }
        }
        throw .init("line \(line): cannot read the module of the import")
    }

    /// Replaces a statement all of whose names move by the new statements, or removes it (leaving `pass`
    /// where it is alone in its block, or shares its line).
    private mutating func replaceWhole(_ span: Range<Int>, with statements: [String], standalone: Bool, indent: String) {
        if !statements.isEmpty {
            pending.append(Pending(offsets: span, text: statements.joined(separator: standalone ? text.lineEnding + indent : "; ")))
            return
        }
        let lineEnd = text.lineEnd(containing: span.upperBound)
        let restBlank = scalars[span.upperBound..<lineEnd].allSatisfy(Self.isBlank)
        if !standalone || !restBlank || isAloneInBlock(span, indent: indent) {
            pending.append(Pending(offsets: span, text: "pass"))
        } else {
            pending.append(Pending(offsets: text.lineStart(containing: span.lowerBound)..<text.nextLineStart(containing: span.upperBound), text: ""))
        }
    }

    /// Whether the statement opens its block (the code line before it ends with `:`) and the next code line
    /// is less indented, so removing it would leave the block empty.
    private func isAloneInBlock(_ span: Range<Int>, indent: String) -> Bool {
        let firstLine = text.position(of: span.lowerBound).line
        let lastLine = text.position(of: span.upperBound).line
        func code(_ line: Int) -> Substring? {
            let start = text.lineStarts[line - 1]
            let raw = text.text(start..<text.lineEnd(containing: start))
            let content = raw.prefix { $0 != "#" }
            return content.allSatisfy(\.isWhitespace) ? nil : content
        }
        var previous = firstLine - 1
        while previous >= 1 && code(previous) == nil { previous -= 1 }
        guard previous >= 1, let opener = code(previous), opener.trimmingTrailingWhitespace().hasSuffix(":") else { return false }
        var next = lastLine + 1
        while next <= text.lineStarts.count && code(next) == nil { next += 1 }
        guard next <= text.lineStarts.count, let following = code(next) else { return true }
        return following.prefix(while: { $0 == " " || $0 == "\t" }).count < indent.count
    }

    /// Takes moved clauses out of a statement that keeps others: each with the comma after it, or (the last
    /// one) with the comma before it; a line left blank goes too.
    private mutating func removeClauses(_ removed: [ImportFact], of clauses: [ImportFact], in span: Range<Int>) throws(ImportRewriter.Failure) {
        var deleted = Set<Int>()
        let removedRanges = Set(removed.map(\.range))
        for clause in removed {
            guard let offsets = text.offsets(of: clause.range) else { throw .init("line \(clause.range.line): cannot find the imported name") }
            var k = offsets.upperBound
            while k < span.upperBound && Self.isBlank(scalars[k]) { k += 1 }
            if k < span.upperBound && scalars[k] == "," {
                k += 1
                while k < span.upperBound && Self.isBlank(scalars[k]) { k += 1 }
                deleted.formUnion(offsets.lowerBound..<k)
                continue
            }
            guard let kept = clauses.last(where: { $0.range < clause.range && !removedRanges.contains($0.range) }),
                let keptEnd = text.offsets(of: kept.range)?.upperBound
            else { throw .init("line \(clause.range.line): cannot take the name out of its import") }
            if !scalars[keptEnd..<offsets.lowerBound].contains("#") {
                deleted.formUnion(keptEnd..<offsets.upperBound)
            } else {
                var comma = keptEnd
                while comma < offsets.lowerBound && scalars[comma] != "," { comma += 1 }
                if comma < offsets.lowerBound { deleted.insert(comma) }
                deleted.formUnion(offsets)
            }
        }
        let byClauses = deleted
        var line = text.lineStart(containing: span.lowerBound)
        while line < span.upperBound {
            let end = text.lineEnd(containing: line)
            let next = text.nextLineStart(containing: line)
            let lost = (line..<end).contains { deleted.contains($0) }
            if lost && line > span.lowerBound && !byClauses.contains(line - 1) && (line..<end).allSatisfy({ deleted.contains($0) || Self.isBlank(scalars[$0]) }) {
                deleted.formUnion(line..<next)
            }
            if next <= line { break }
            line = next
        }
        var run: Int?
        for k in span.lowerBound...span.upperBound {
            if k < span.upperBound && deleted.contains(k) {
                if run == nil { run = k }
            } else if let start = run {
                pending.append(Pending(offsets: start..<k, text: ""))
                run = nil
            }
        }
        if let start = run, let last = deleted.max() { pending.append(Pending(offsets: start..<(last + 1), text: "")) }
    }

    static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }

    static func isIdentifier(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.value < 128 ? (c.properties.isAlphabetic || ("0"..."9").contains(c)) : c.properties.isXIDContinue)
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
