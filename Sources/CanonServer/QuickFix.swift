import Canon

/// The answer to `fixFile`: the text edits that fix a buffer's fixable findings, as an editor applies a quick
/// fix, and the findings that have none. Edit positions are LSP's: 0-based lines and UTF-16 offsets into the
/// buffer as the client sent it; `notFixable` lines are 1-based, as findings' lines are.
struct QuickFix: Encodable {
    struct Position: Encodable, Equatable {
        let line: Int
        let character: Int
    }

    struct Range: Encodable {
        let start: Position
        let end: Position
    }

    struct Edit: Encodable {
        let range: Range
        let newText: String
    }

    struct NotFixable: Encodable {
        let rule: String
        let line: Int
        let reason: String
    }

    let edits: [Edit]
    /// How many findings the edits fix.
    let fixed: Int
    let notFixable: [NotFixable]

    /// The shape, as `initialize` describes it to clients.
    static let shape = Shape(
        params: #"{"path": string, "content": string}"#,
        result: #"{"edits": [{"range": {"start": {"line": int, "character": int}, "end": {"line": int, "character": int}}, "newText": string}], "fixed": int, "notFixable": [{"rule": string, "line": int, "reason": string}]}"#,
        positions: "edit positions are 0-based lines and UTF-16 character offsets into 'content' as sent (LSP); the edits are sorted, do not overlap and apply together; notFixable lines are 1-based, as findings' are")

    struct Shape: Encodable {
        let params: String
        let result: String
        let positions: String
    }

    /// The quick fix of the `findings` of one buffer, whose facts and project index come from a check of it.
    init(findings: [Finding], content: String, facts: FileFacts?, index: ProjectIndex) {
        var notFixable = findings.compactMap { finding in
            finding.fix?.reason.map { NotFixable(rule: finding.rule, line: finding.location.range.line, reason: $0) }
        }
        let fixable = findings.filter(\.isFixable)
        guard let facts, !fixable.isEmpty else {
            self.init(edits: [], fixed: 0, notFixable: notFixable)
            return
        }
        switch Fixer.edits(for: fixable, contents: Array(content.utf8), facts: facts, index: index) {
        case .success(let edits):
            let text = ScalarText(content)
            self.init(
                edits: edits.map { edit in
                    Edit(
                        range: Range(
                            start: Self.position(line: edit.range.line, column: edit.range.column, in: text),
                            end: Self.position(line: edit.range.endLine, column: edit.range.endColumn, in: text)),
                        newText: edit.replacement)
                },
                fixed: fixable.count, notFixable: notFixable)
        case .failure(let failure):
            notFixable += fixable.map { NotFixable(rule: $0.rule, line: $0.location.range.line, reason: "the file \(failure.reason)") }
            self.init(edits: [], fixed: 0, notFixable: notFixable.sorted { $0.line < $1.line })
        }
    }

    private init(edits: [Edit], fixed: Int, notFixable: [NotFixable]) {
        self.edits = edits
        self.fixed = fixed
        self.notFixable = notFixable
    }

    /// A 1-based line and code-point column as an LSP position: the UTF-16 units before it on its line,
    /// counted from the line's first byte (a byte order mark on line 1 included, as the client has it).
    static func position(line: Int, column: Int, in text: ScalarText) -> Position {
        let start = line == 1 ? 0 : text.lineStarts[line - 1]
        let offset = text.offset(line: line, column: column) ?? start
        return Position(line: line - 1, character: text.scalars[start..<offset].reduce(0) { $0 + UTF16.width($1) })
    }
}
