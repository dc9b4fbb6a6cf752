import Foundation
import Testing

@testable import CanonCore

/// `Finding` keeps its fields behind one reference shared by copies: a change to one copy must never show in
/// another, and it encodes as its fields did.
@Suite struct FindingTests {
    private static let finding = Finding(
        rule: "duplicate_definition", code: "CAN301", severity: .warning,
        location: SourceLocation(path: "a.py", range: .at(line: 3, column: 1)), message: "'A' is defined twice",
        subject: "A", related: [RelatedLocation(location: SourceLocation(path: "b.py", range: .at(line: 1, column: 1)), message: "also here")])

    @Test func aChangedCopyLeavesTheOriginalAsItWas() {
        let changes: [(inout Finding) -> Void] = [
            { $0.rule = "other" }, { $0.code = "CAN999" }, { $0.severity = .error },
            { $0.location.range = .at(line: 4, column: 2) }, { $0.message = "else" }, { $0.subject = "B" },
            { $0.related.removeAll() }, { $0.fingerprint = "f" }, { $0.lineHash = "h:1" },
            { $0.fix = .unfixable(reason: "no") },
        ]
        for (number, change) in changes.enumerated() {
            var copy = Self.finding
            change(&copy)
            #expect(copy != Self.finding, "change \(number)")
            #expect(Self.finding.rule == "duplicate_definition" && Self.finding.related.count == 1 && Self.finding.fingerprint == nil)
        }
        var copy = Self.finding
        #expect(copy.box === Self.finding.box)
        copy.lineHash = "h:1"
        #expect(copy.box !== Self.finding.box)
    }

    @Test func encodesItsFieldsLeavingOutAbsentOnesAndDecodesBack() throws {
        var stamped = Self.finding
        stamped.fingerprint = "abc"
        let plain = String(decoding: try JSONOutput.encode(Self.finding, pretty: false), as: UTF8.self)
        #expect(
            plain == #"{"code":"CAN301","location":{"path":"a.py","range":{"column":1,"endColumn":1,"endLine":3,"line":3}},"#
                + #""message":"'A' is defined twice","related":[{"location":{"path":"b.py","range":{"column":1,"endColumn":1,"#
                + #""endLine":1,"line":1}},"message":"also here"}],"rule":"duplicate_definition","severity":"warning","subject":"A"}"#)
        for finding in [Self.finding, stamped] {
            let decoded = try JSONDecoder().decode(Finding.self, from: Data(try JSONOutput.encode(finding, pretty: false)))
            #expect(decoded == finding)
            #expect(decoded.hashValue == finding.hashValue)
        }
    }
}
