import CanonCore
import Foundation

extension Engine {
    /// What becomes of one file: its facts, a syntax error, or a notice that it was passed over.
    enum Outcome: Sendable {
        case facts(FileFacts)
        case error(FileError)
        case skipped(SkippedFile)
    }

    /// Each front end with its reader for one project, prepared lazily: a front end that handles none of the
    /// project's files never looks at the project.
    struct Readers: Sendable {
        let entries: [(frontEnd: any FrontEnd, reader: any SourceReader)]

        init(frontEnds: [any FrontEnd], layout: ProjectLayout) {
            entries = frontEnds.compactMap { frontEnd in
                guard layout.paths.contains(where: { frontEnd.handles(path: $0) }) else { return nil }
                return (frontEnd, frontEnd.reader(for: layout))
            }
        }

        /// Readers given as they are, asked in order.
        init(_ entries: [(frontEnd: any FrontEnd, reader: any SourceReader)]) {
            self.entries = entries
        }

        func reader(for path: String) -> (any SourceReader)? {
            entries.first { $0.frontEnd.handles(path: path) }?.reader
        }
    }

    /// The outcome of the file at `path` with `bytes`, which its front end may pad in place (see
    /// `SourceReader.facts`): pass them as their last use.
    static func parse(_ bytes: consuming [UInt8], path: String, readers: Readers) -> Outcome {
        // `memchr` reads a word or more at a time; a generic `contains` over the prefix cost 2% of a cold scan.
        let holdsNUL = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { memchr($0, 0, min(buffer.count, 8192)) != nil } ?? false
        }
        if holdsNUL {
            return .skipped(SkippedFile(path: path, reason: "binary file (it holds a NUL byte)"))
        }
        guard let reader = readers.reader(for: path) else {
            return .skipped(SkippedFile(path: path, reason: "no front end reads this kind of file"))
        }
        do {
            return .facts(try reader.facts(source: consume bytes, path: path))
        } catch {
            return .error(FileError(path: path, line: error.line, column: error.column, message: error.message))
        }
    }
}
