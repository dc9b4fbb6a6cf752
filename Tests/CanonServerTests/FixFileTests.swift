import Foundation
import Testing

/// Applies LSP text edits (0-based lines, UTF-16 character offsets; lines end at `\n`, `\r\n` or `\r`) to `text`,
/// as an editor does.
func applyLSPEdits(_ edits: [[String: Any]], to text: String) throws -> String {
    var units = Array(text.utf16)
    var lineStarts = [0]
    var k = 0
    while k < units.count {
        if units[k] == 0x0A || (units[k] == 0x0D && (k + 1 == units.count || units[k + 1] != 0x0A)) {
            lineStarts.append(k + 1)
        }
        k += 1
    }
    func offset(_ position: Any?) throws -> Int {
        let position = try #require(position as? [String: Int])
        return lineStarts[try #require(position["line"])] + (try #require(position["character"]))
    }
    let located = try edits.map { edit in
        let range = try #require(edit["range"] as? [String: Any])
        return (start: try offset(range["start"]), end: try offset(range["end"]), text: try #require(edit["newText"] as? String))
    }
    for edit in located.sorted(by: { $0.start > $1.start }) {
        units.replaceSubrange(edit.start..<edit.end, with: Array(edit.text.utf16))
    }
    return String(decoding: units, as: UTF16.self)
}

@Suite(.timeLimit(.minutes(2))) struct FixFileTests {
    let files = [
        "shop/__init__.py": "from shop.models import Order\n\n__all__ = ['Order']\n",
        "shop/models.py": "class Order:\n    pass\n",
        "billing/invoice.py": "from shop import Order\n",
        "billing/refund.py": "x = 1\n",
    ]

    private func result(_ answer: [String: Any]) throws -> [String: Any] {
        try #require(answer["result"] as? [String: Any], "\(answer)")
    }

    private func fragmented(_ answer: [String: Any]) throws -> [[String: Any]] {
        try #require(try result(answer)["findings"] as? [[String: Any]]).filter { $0["rule"] as? String == "fragmented_import" }
    }

    @Test func answersUTF16EditsThatRemoveTheFindingAndWritesNothing() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        let initialized = try result(connection.request(1, "initialize", ["rootPath": project.url.path]))
        let capabilities = try #require(initialized["capabilities"] as? [String: Any])
        #expect((capabilities["methods"] as? [String])?.contains("fixFile") == true)
        #expect(capabilities["positionEncoding"] as? String == "utf-16")
        #expect(((capabilities["fixFile"] as? [String: String])?["result"])?.contains(#""newText": string"#) == true)

        // The emoji before the import is one code point but two UTF-16 units.
        let content = "label = \"🛒\"; from shop.models import Order\nimport shop.models as m\n\nx = m.Order\n"
        let answer = try result(connection.request(2, "fixFile", ["path": "billing/refund.py", "content": content]))
        let edits = try #require(answer["edits"] as? [[String: Any]])
        #expect(edits.count == 1)
        #expect((edits.first?["range"] as? [String: [String: Int]]) == ["start": ["line": 0, "character": 19], "end": ["line": 0, "character": 30]])
        #expect(edits.first?["newText"] as? String == "shop")
        #expect(answer["fixed"] as? Int == 1)
        let notFixable = try #require(answer["notFixable"] as? [[String: Any]])
        #expect(notFixable.map { $0["line"] as? Int } == [4])
        #expect(notFixable.first?["rule"] as? String == "fragmented_import")
        #expect((notFixable.first?["reason"] as? String)?.contains("attribute of a module imported whole") == true)

        let fixed = try applyLSPEdits(edits, to: content)
        #expect(fixed == "label = \"🛒\"; from shop import Order\nimport shop.models as m\n\nx = m.Order\n")
        let after = try fragmented(connection.request(3, "scanFile", ["path": "billing/refund.py", "content": fixed]))
        #expect(after.map { $0["line"] as? Int } == [4], "only the finding that has no fix is left")
        #expect(try String(contentsOf: project.url.appendingPathComponent("billing/refund.py"), encoding: .utf8) == "x = 1\n")
        _ = connection.finish()
    }

    @Test func editsOfACRLFMultiLineImportApplyToTheBufferAsSent() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        _ = connection.request(1, "initialize", ["rootUri": project.url.absoluteString])
        _ = connection.request(2, "scan")
        let content = "\"\"\"Crédit.\"\"\"\r\nfrom shop.models import (  # é\r\n    Order,\r\n)\r\n"
        let answer = try result(
            connection.request(3, "fixFile", ["path": "file://" + project.url.appendingPathComponent("billing/credit.py").path, "content": content]))
        let edits = try #require(answer["edits"] as? [[String: Any]])
        let fixed = try applyLSPEdits(edits, to: content)
        #expect(fixed == "\"\"\"Crédit.\"\"\"\r\nfrom shop import (  # é\r\n    Order,\r\n)\r\n")
        #expect(try fragmented(connection.request(4, "scanFile", ["path": "billing/credit.py", "content": fixed])).isEmpty)
        _ = connection.finish()
    }

    @Test func aBufferWithNothingToFixOrThatDoesNotParseGetsNoEdits() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        _ = connection.request(1, "initialize", ["rootPath": project.url.path])
        for (offset, content) in ["from shop import Order\n", "from shop.models import (Order\n"].enumerated() {
            let answer = try result(connection.request(2 + offset, "fixFile", ["path": "billing/refund.py", "content": content]))
            #expect((answer["edits"] as? [Any])?.isEmpty == true)
            #expect(answer["fixed"] as? Int == 0)
            #expect((answer["notFixable"] as? [Any])?.isEmpty == true)
        }
        _ = connection.finish()
    }

    @Test func refusesBadParametersAndPathsOutsideTheRoot() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        #expect(errorCode(connection.request(1, "fixFile", ["path": "billing/refund.py", "content": ""])) == -32002)
        _ = connection.request(2, "initialize", ["rootPath": project.url.path])
        for (offset, path) in ["../outside.py", "/etc/passwd", "file:///etc/passwd"].enumerated() {
            #expect(errorCode(connection.request(10 + offset, "fixFile", ["path": path, "content": "x = 1\n"])) == -32602, "\(path)")
        }
        #expect(errorCode(connection.request(20, "fixFile", ["path": "billing/refund.py"])) == -32602)
        #expect(errorCode(connection.request(21, "fixFile", ["content": "x = 1\n"])) == -32602)
        #expect(errorCode(connection.request(22, "fixFile", ["path": "", "content": "x = 1\n"])) == -32602)
        _ = connection.finish()
    }
}
