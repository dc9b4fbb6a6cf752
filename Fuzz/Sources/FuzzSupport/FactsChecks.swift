import CanonCore

/// Checks what a front end made of `source`: facts whose ranges lie in the file, or an error that points into it.
/// CR, LF and CRLF end lines; counting CR and LF apart gives an upper bound of the lines.
public func checkFacts(of source: [UInt8], _ read: ([UInt8]) throws(SourceError) -> FileFacts) {
    let lines = source.reduce(1) { $0 + ($1 == 0x0A || $1 == 0x0D ? 1 : 0) }
    do {
        let facts = try read(source)
        let ranges = facts.imports.map(\.range) + facts.classes.map(\.range) + facts.functions.map(\.range)
            + facts.assignments.map(\.range) + facts.classAttributes.map(\.range)
        for range in ranges {
            precondition(
                range.line >= 1 && range.column >= 1 && range.endLine <= lines && range.line <= range.endLine,
                "a fact outside the file's \(lines) lines: \(range)")
        }
    } catch {
        precondition(error.line >= 1 && error.line <= lines && error.column >= 1, "an error outside the file: \(error)")
    }
}
