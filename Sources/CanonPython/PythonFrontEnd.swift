import CanonCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that CPython 3.13 would refuse to compile: it does not decode, does not tokenize, or its block
/// structure is invalid. It is core's `SourceError`, the error every front end gives, so the engine passes it on
/// as it is.
public typealias PythonSyntaxError = SourceError

/// The Python front end: a byte-level tokenizer and statement reader that turns one file into `FileFacts`.
public enum PythonFrontEnd {
    /// How many zero bytes follow a file's bytes while it is parsed (see `parse`).
    static let padding = SourceBytes.paddingRoom

    /// Extracts facts from one Python file's bytes. Throws `PythonSyntaxError` for a file CPython would reject.
    ///
    /// - Parameters:
    ///   - source: The file's bytes, in UTF-8 unless a PEP 263 coding line says otherwise; padded in place when
    ///     given up with room to spare (see `parse`).
    ///   - path: The path relative to the scan root, stored in the facts.
    ///   - module: The dotted module name, used to resolve relative imports.
    ///   - isPackage: Whether the file is a package's `__init__`.
    ///   - isStub: Whether the file is a `.pyi` stub.
    public static func facts(
        source: consuming [UInt8], path: String, module: String, isPackage: Bool, isStub: Bool
    ) throws(PythonSyntaxError) -> FileFacts {
        let parsed = try parse(consume source)
        var facts = FileFacts(path: path, module: module, isPackage: isPackage, language: .python, isStub: isStub)
        FactsExtractor.extract(parsed, module: module, isPackage: isPackage, into: &facts)
        return facts
    }

    /// Tokenizes and reads the statement structure of a file without extracting facts.
    ///
    /// The lexer reads up to eight bytes past the end, which are zeros appended to the bytes: in place when the
    /// caller gives the bytes up (`consume`) with room for them, as the engine's reader leaves
    /// (`SourceBytes.paddingRoom`); else in a copy of exactly the size needed. Copied every time, the bytes of
    /// every file were copied once more (a hundredth of a cold scan, and as many pages touched).
    static func parse(_ source: consuming [UInt8]) throws(PythonSyntaxError) -> ParsedFile {
        var bytes = consume source
        let count = bytes.count
        let nul = bytes.withUnsafeBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress, count > 0, let hit = memchr(base, 0, count) else { return -1 }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        // A no-op for bytes held only here with the room; else one copy of exactly this capacity, where appending
        // alone would double it.
        bytes.reserveCapacity(count + Self.padding)
        for _ in 0..<Self.padding { bytes.append(0) }
        let start = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        let utf8 = try isUTF8(bytes, from: start, hasBOM: start == 3)
        if nul >= 0 {
            var lines = [start]
            for k in start..<nul where bytes[k] == 0x0A || (bytes[k] == 0x0D && bytes[k + 1] != 0x0A) {
                lines.append(k + 1)
            }
            let buffer = SourceBuffer(bytes: bytes, count: count, lineStarts: lines, countCodePoints: utf8)
            throw buffer.error("source code string cannot contain null bytes", at: nul)
        }
        let lexed: Result<LexedFile, PythonSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(PythonSyntaxError) {
                return .success(try Lexer.lex(buffer.baseAddress!, count: count, start: start, validateUTF8: utf8))
            } catch {
                return .failure(error)
            }
        }
        let file = try lexed.get()
        let buffer = SourceBuffer(bytes: bytes, count: count, lineStarts: file.lineStarts, countCodePoints: utf8)
        let tree = try StatementReader.read(file.tokens, source: buffer)
        return ParsedFile(source: buffer, tokens: file.tokens, comments: file.comments, tree: tree)
    }

    /// Whether the file is UTF-8: true unless a PEP 263 coding line on line 1 or 2 names another encoding.
    /// Other encodings are treated as single-byte (Latin-1 and the like), so columns count bytes. An encoding
    /// Python does not know, or one that contradicts a UTF-8 BOM, is an error as in CPython.
    static func isUTF8(_ bytes: [UInt8], from start: Int, hasBOM: Bool) throws(PythonSyntaxError) -> Bool {
        var lineStart = start
        for line in 1...2 {
            var end = lineStart
            while bytes[end] != 0x0A && bytes[end] != 0x0D && bytes[end] != 0 { end += 1 }
            var k = lineStart
            while bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0C { k += 1 }
            if k < end && bytes[k] == UInt8(ascii: "#") {
                if let name = codingName(bytes[k..<end]) {
                    let column = k - lineStart + 1
                    // CPython compares the BOM with the spec's "normal name", so `utf8` with a BOM is an error.
                    if hasBOM && normalName(name) != "utf-8" {
                        throw PythonSyntaxError(line: line, column: column, message: "encoding problem: \(name) with BOM")
                    }
                    let normalized = normalizedEncoding(name)
                    if normalName(name) == "utf-8" || utf8Aliases.contains(normalized) { return true }
                    if !UnicodeTables.encodingNames.contains(normalized)
                        && !UnicodeTables.encodingNames.contains(normalized.replacingOccurrences(of: ".", with: "_"))
                    {
                        throw PythonSyntaxError(line: line, column: column, message: "unknown encoding: \(name)")
                    }
                    return false
                }
            } else if k < end {
                return true
            }
            if bytes[end] == 0 { return true }
            lineStart = end + (bytes[end] == 0x0D && bytes[end + 1] == 0x0A ? 2 : 1)
        }
        return true
    }

    private static let utf8Aliases: Set<String> = ["utf_8", "cp65001", "u8", "utf", "utf8", "utf8_ucs2", "utf8_ucs4"]

    /// CPython's `get_normal_name`: `utf-8` and `latin-1` spellings folded, anything else unchanged.
    private static func normalName(_ name: String) -> String {
        let head = String(name.prefix(12)).lowercased().replacingOccurrences(of: "_", with: "-")
        if head == "utf-8" || head.hasPrefix("utf-8-") { return "utf-8" }
        for latin in ["latin-1", "iso-8859-1", "iso-latin-1"] where head == latin || head.hasPrefix(latin + "-") {
            return "iso-8859-1"
        }
        return name
    }

    /// Lowercases and turns each run of characters other than letters, digits and `.` into one `_`.
    private static func normalizedEncoding(_ name: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for c in name.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber || c == ".") {
                if pendingUnderscore && !out.isEmpty { out.append("_") }
                pendingUnderscore = false
                out.append(c)
            } else {
                pendingUnderscore = true
            }
        }
        return out
    }

    /// The encoding named by `coding[:=]\s*name` in a comment line, as PEP 263's regular expression reads it.
    private static func codingName(_ line: ArraySlice<UInt8>) -> String? {
        let text = Array(line)
        let word = Array("coding".utf8)
        var k = 0
        while k + word.count < text.count {
            if text[k..<(k + word.count)].elementsEqual(word)
                && (text[k + word.count] == UInt8(ascii: ":") || text[k + word.count] == UInt8(ascii: "="))
            {
                var j = k + word.count + 1
                while j < text.count && (text[j] == 0x20 || text[j] == 0x09) { j += 1 }
                var e = j
                while e < text.count {
                    let c = text[e]
                    let ok =
                        (c | 0x20) &- 97 < 26 || c &- 48 < 10 || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                        || c == UInt8(ascii: ".")
                    if !ok { break }
                    e += 1
                }
                if e > j { return String(decoding: text[j..<e], as: UTF8.self) }
            }
            k += 1
        }
        return nil
    }
}

/// A tokenized file with its statement structure.
struct ParsedFile: Sendable {
    var source: SourceBuffer
    var tokens: [Token]
    var comments: [(start: Int, end: Int)]
    var tree: StatementTree
}
