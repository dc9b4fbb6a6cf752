#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a message was framed; an answer uses its request's framing.
public enum Framing: Sendable, Equatable {
    /// LSP's base protocol: `Content-Length: N` and other headers, a blank line, then N bytes of JSON.
    case contentLength
    /// One JSON text per line, chosen when a message's first byte is `{` (or `[`).
    case lineDelimited

    /// `body` framed for sending.
    public func frame(_ body: [UInt8]) -> [UInt8] {
        switch self {
        case .contentLength: Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        case .lineDelimited: body + [0x0A]
        }
    }
}

/// A source of bytes: standard input, a pipe, or bytes in memory.
public protocol ByteInput: Sendable {
    /// Up to `maximum` bytes, blocking until some arrive; empty at the end of input.
    func read(maximum: Int) -> [UInt8]
}

/// Reads a file descriptor, such as standard input or a pipe.
public struct FileDescriptorInput: ByteInput {
    public let descriptor: Int32

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public func read(maximum: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                #if canImport(Glibc)
                    Glibc.read(descriptor, raw.baseAddress, maximum)
                #else
                    Darwin.read(descriptor, raw.baseAddress, maximum)
                #endif
            }
            if count < 0 && errno == EINTR { continue }
            return count <= 0 ? [] : Array(buffer.prefix(count))
        }
    }
}

/// Splits a byte stream into messages, in either framing, and survives anything: a frame it cannot read is
/// reported as malformed and reading resumes at the next header or JSON line.
public struct MessageReader {
    /// One unit read from the stream.
    public enum Frame: Equatable {
        /// A message body (not yet parsed as JSON).
        case message([UInt8], Framing)
        /// Bytes that are not a frame; the reason is for the error answer.
        case malformed(String, Framing)
    }

    /// Bodies larger than this are refused (and skipped), so a bad header cannot make the server allocate
    /// without bound.
    public static let maximumBodySize = 64 << 20
    private static let maximumHeaderSize = 8192

    private let input: any ByteInput
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// A resynchronisation owed after a malformed frame, done when the next frame is asked for, so that the
    /// frame's error is answered before the reader waits for more input.
    private var pendingResync: (onJSONLine: Bool, atLineStart: Bool)?

    public init(input: any ByteInput) {
        self.input = input
    }

    /// The next frame; nil at the end of input.
    public mutating func next() -> Frame? {
        if let resync = pendingResync {
            pendingResync = nil
            drop(onJSONLine: resync.onJSONLine, atLineStart: resync.atLineStart)
        }
        skipBlank()
        guard let first = peek(0) else { return nil }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            guard let line = readLine(limit: Self.maximumBodySize) else {
                resynchronize(onJSONLine: true, atLineStart: false)
                return .malformed("a JSON line longer than \(Self.maximumBodySize) bytes", .lineDelimited)
            }
            return .message(line, .lineDelimited)
        }
        return readHeaderFrame()
    }

    private mutating func readHeaderFrame() -> Frame? {
        var length: Int?
        var problem: String?
        while true {
            guard var line = readLine(limit: Self.maximumHeaderSize) else {
                resynchronize(onJSONLine: true, atLineStart: false)
                return .malformed("a header line longer than \(Self.maximumHeaderSize) bytes", .contentLength)
            }
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty { break }
            let text = String(decoding: line, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else {
                // Not a header at all: perhaps a line of a client that does not frame, so a JSON line may follow.
                resynchronize(onJSONLine: true, atLineStart: true)
                return .malformed("'\(text.prefix(80))' is not a header (expected 'Content-Length: N')", .contentLength)
            }
            let name = text[..<colon].lowercased()
            guard !name.isEmpty, name.allSatisfy(Self.isTokenCharacter) else {
                resynchronize(onJSONLine: true, atLineStart: true)
                return .malformed("'\(text.prefix(80))' is not a header (expected 'Content-Length: N')", .contentLength)
            }
            let value = text[text.index(after: colon)...].trimmingWhitespace
            if name == "content-length" {
                if let number = Int(value), number >= 0 {
                    length = number
                } else {
                    problem = problem ?? "Content-Length '\(value.prefix(40))' is not a number of bytes"
                }
            }
        }
        if let problem {
            resynchronize(onJSONLine: false, atLineStart: true)
            return .malformed(problem, .contentLength)
        }
        guard let length else {
            resynchronize(onJSONLine: false, atLineStart: true)
            return .malformed("a header block without Content-Length", .contentLength)
        }
        guard length <= Self.maximumBodySize else {
            resynchronize(onJSONLine: false, atLineStart: true)
            return .malformed("Content-Length \(length) is over the limit of \(Self.maximumBodySize) bytes", .contentLength)
        }
        guard let body = take(length) else {
            return .malformed("the input ended \(length) bytes into a message body", .contentLength)
        }
        return .message(body, .contentLength)
    }

    /// Whether `character` may stand in a header name (an HTTP token).
    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "!#$%&'*+-.^_`|~".contains(character))
    }

    /// Owes a resynchronisation (see `drop`) before the next frame.
    private mutating func resynchronize(onJSONLine: Bool, atLineStart: Bool) {
        pendingResync = (onJSONLine, atLineStart)
    }

    /// Drops bytes up to the next `Content-Length:` header, or (with `onJSONLine`) a line starting with `{`,
    /// whichever comes first.
    private mutating func drop(onJSONLine: Bool, atLineStart: Bool) {
        let marker = Array("content-length:".utf8)
        if onJSONLine && atLineStart && peek(0) == UInt8(ascii: "{") { return }
        while let byte = peek(0) {
            if byte == UInt8(ascii: "C") || byte == UInt8(ascii: "c") {
                var matches = true
                for (offset, expected) in marker.enumerated() {
                    guard let actual = peek(offset) else { matches = false; break }
                    let lowered = actual >= 0x41 && actual <= 0x5A ? actual + 0x20 : actual
                    if lowered != expected { matches = false; break }
                }
                if matches { return }
            }
            start += 1
            compact()
            if onJSONLine && byte == 0x0A && peek(0) == UInt8(ascii: "{") { return }
        }
    }

    private mutating func skipBlank() {
        while let byte = peek(0), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
            start += 1
        }
        compact()
    }

    /// The bytes up to the next LF (which is consumed but not returned), or to the end of input; nil when the
    /// line is longer than `limit` (the line's bytes so far are dropped).
    private mutating func readLine(limit: Int) -> [UInt8]? {
        var scanned = 0
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                compact()
                return line.count > limit ? nil : line
            }
            scanned = buffer.count - start
            if scanned > limit {
                start = buffer.count
                compact()
                return nil
            }
            if !fill() {
                let line = Array(buffer[start...])
                start = buffer.count
                compact()
                return line
            }
        }
    }

    private mutating func take(_ count: Int) -> [UInt8]? {
        while buffer.count - start < count {
            if !fill() { return nil }
        }
        let body = Array(buffer[start..<(start + count)])
        start += count
        compact()
        return body
    }

    private mutating func peek(_ offset: Int) -> UInt8? {
        while buffer.count - start <= offset {
            if !fill() { return nil }
        }
        return buffer[start + offset]
    }

    private mutating func fill() -> Bool {
        guard !atEnd else { return false }
        let bytes = input.read(maximum: 65536)
        if bytes.isEmpty {
            atEnd = true
            return false
        }
        buffer += bytes
        return true
    }

    /// Drops consumed bytes once they are most of the buffer, so memory stays bounded by the largest frame.
    private mutating func compact() {
        if start > 65536 && start * 2 > buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
