import CanonCore
import Testing

@Suite struct FingerprintTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hexDigest(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func whiteSpaceIsFolded() {
        #expect(Fingerprint.folded("  class \t Invoice( Base ):  ") == "class Invoice( Base ):")
        // ASCII is folded byte by byte, other text by Character: both fold every kind of white space alike.
        for text in ["a\r\nb\u{0B}c\u{0C}\u{0C}d\n", "\t\t", "", "x", " x  y ", "é \u{00A0} x\r\n", "\u{2003}a b"] {
            #expect(Fingerprint.folded(text) == text.split(whereSeparator: \.isWhitespace).joined(separator: " "), "\(text.debugDescription)")
        }
        #expect(Fingerprint.folded("é \u{00A0} x\r\n") == "é x")
        #expect(
            Fingerprint.make(rule: "r", path: "p.py", subject: "s", line: "class  A:", occurrence: 1)
                == Fingerprint.make(rule: "r", path: "p.py", subject: "s", line: "\tclass A:  ", occurrence: 1))
    }

    private func finding(line: Int, subject: String = "pkg.Invoice") -> Finding {
        Finding(
            rule: "duplicate_definition", code: "DUP001", severity: .warning,
            location: SourceLocation(path: "pkg.py", range: SourceRange(line: line, column: 1, endLine: line, endColumn: 14)),
            message: "m", subject: subject)
    }

    @Test func aFindingMovedDownKeepsItsFingerprintButNotItsLineHash() {
        let source = "import os\n\nclass Invoice:\n    pass\n"
        let moved = String(repeating: "\n", count: 10) + source
        let before = Fingerprint.attach(to: [finding(line: 3)]) { _ in Array(source.utf8) }
        let after = Fingerprint.attach(to: [finding(line: 13)]) { _ in Array(moved.utf8) }
        #expect(before[0].fingerprint != nil)
        #expect(before[0].fingerprint == after[0].fingerprint)
        #expect(before[0].lineHash == LineHash.hashes(of: source)[2])
        #expect(after[0].lineHash == LineHash.hashes(of: moved)[12])
    }

    @Test func equalKeysAreToldApartByOccurrenceAndOtherTextChangesIt() {
        let source = "class Invoice:\n    pass\nclass Invoice:\n    pass\n"
        let stamped = Fingerprint.attach(to: [finding(line: 1), finding(line: 3)]) { _ in Array(source.utf8) }
        #expect(stamped[0].fingerprint != stamped[1].fingerprint)
        let renamed = Fingerprint.attach(to: [finding(line: 1)]) { _ in Array("class Invoice(Base):\n".utf8) }
        #expect(renamed[0].fingerprint != stamped[0].fingerprint)
        let otherSubject = Fingerprint.attach(to: [finding(line: 1, subject: "other.Invoice")]) { _ in Array(source.utf8) }
        #expect(otherSubject[0].fingerprint != stamped[0].fingerprint)
        #expect(Fingerprint.attach(to: [finding(line: 1)]) { _ in nil }[0].fingerprint == nil)
    }

    @Test func sourceLinesSplitOnEveryLineEnding() {
        let lines = SourceLines(Array("a\r\nb\rc\nd".utf8))
        #expect([1, 2, 3, 4, 5].map { String(lines.line($0)) } == ["a", "b", "c", "d", ""])
    }
}
