import CanonCore
import Foundation

/// The cache's binary encoding of facts and findings, written field by field (much faster than a generic
/// `Codable` coder). Every stored property of every fact type is written; `FactsCodingTests` counts them, so a
/// property added to a fact type without being added here fails the tests rather than being lost in the cache.
enum FactsCoding {
    /// Bumped whenever the encoding changes; a cache written with another format is ignored.
    static let format: UInt64 = 8

    // MARK: Writing

    /// A file's facts, in two parts each with its own recalled strings: the details (`FileFacts.Details`) after
    /// the rest, so that a reader can leave them undecoded until they are asked for (`readFacts(_:deferring:)`).
    /// The first part holds what the index reads of the details (`FileFacts.topLevelFunctions`,
    /// `globalsAssigned`).
    static func write(_ facts: FileFacts, to w: inout ByteWriter) {
        let details = facts.allDetails
        w.recallingStrings { w in writeRecalling(facts, details, to: &w) }
        w.recallingStrings { w in write(details, to: &w) }
    }

    private static func writeRecalling(_ facts: FileFacts, _ details: FileFacts.Details, to w: inout ByteWriter) {
        w.string(facts.path)
        w.string(facts.module)
        w.bool(facts.isPackage)
        write(facts.language, to: &w)
        w.bool(facts.isStub)
        // Imports and functions, the most numerous facts, by index: each field is read in place, where handing
        // a fact to a closure copied it whole, every string retained and released.
        w.varint(UInt64(facts.imports.count))
        for k in facts.imports.indices {
            w.byte(facts.imports[k].form == .plain ? 0 : 1)
            w.recalledString(facts.imports[k].module)
            w.recalledString(facts.imports[k].writtenModule)
            w.int(facts.imports[k].level)
            w.optionalString(facts.imports[k].name)
            w.optionalString(facts.imports[k].alias)
            write(facts.imports[k].kind, to: &w)
            write(facts.imports[k].range, to: &w)
            write(facts.imports[k].statementRange, to: &w)
            w.strings(facts.imports[k].attributes)
        }
        w.array(facts.classes) { w, fact in
            w.string(fact.name)
            w.string(fact.qualifiedName)
            w.strings(fact.bases, recalled: true)
            w.strings(fact.keywords)
            w.strings(fact.decorators, recalled: true)
            write(fact.range, to: &w)
            write(fact.bodyRange, to: &w)
            w.bool(fact.isTopLevel)
            write(fact.kind, to: &w)
        }
        // The module-level functions (`FileFacts.topLevelFunctions`) written from the list in place, with no list
        // of their own made for it: that cost a cold scan 11 M instructions.
        w.varint(UInt64(facts.topLevelFunctionCount))
        facts.forEachTopLevelFunction { index, name, range in
            w.int(index)
            w.string(name)
            write(range, to: &w)
        }
        w.strings(details.globalsAssigned)
        w.array(facts.assignments) { w, fact in
            w.string(fact.name)
            write(fact.value, to: &w)
            write(fact.range, to: &w)
            write(fact.statementRange, to: &w)
            w.bool(fact.isAnnotated)
            w.bool(fact.isAugmented)
            w.optionalString(fact.annotation)
            w.optionalString(fact.valueText)
            w.bool(fact.isConstant)
        }
        if let all = facts.dunderAll {
            w.byte(1)
            w.strings(all)
        } else {
            w.byte(0)
        }
        w.array(facts.deprecations) { w, fact in
            w.string(fact.category)
            w.optionalString(fact.message)
            write(fact.range, to: &w)
            w.optionalString(fact.viaFunction)
        }
        w.array(facts.deprecatedDeclarations) { w, fact in
            w.string(fact.symbol)
            w.optionalString(fact.message)
            w.optionalString(fact.renamed)
            write(fact.range, to: &w)
        }
        if let getattr = facts.moduleGetattr {
            w.byte(1)
            write(getattr.range, to: &w)
            w.bool(getattr.warnsDeprecation)
        } else {
            w.byte(0)
        }
        w.array(facts.attributeUses) { w, fact in
            w.recalledString(fact.base)
            w.strings(fact.path, recalled: true)
            write(fact.range, to: &w)
        }
        w.array(facts.suppressions) { w, fact in
            w.strings(fact.rules)
            w.optionalString(fact.reason)
            w.bool(fact.isFileLevel)
            write(fact.range, to: &w)
        }
        w.array(facts.moduleCalls) { w, site in write(site, to: &w) }
    }

    private static func write(_ details: FileFacts.Details, to w: inout ByteWriter) {
        w.varint(UInt64(details.functions.count))
        for k in details.functions.indices {
            w.string(details.functions[k].name)
            w.string(details.functions[k].qualifiedName)
            w.optionalString(details.functions[k].className, recalled: true)
            w.strings(details.functions[k].decorators, recalled: true)
            w.strings(details.functions[k].parameters, recalled: true)
            w.bool(details.functions[k].isAsync)
            w.bool(details.functions[k].isTopLevel)
            write(details.functions[k].range, to: &w)
            write(details.functions[k].bodyRange, to: &w)
            w.array(details.functions[k].globals) { w, site in write(site, to: &w) }
            w.array(details.functions[k].assignedNames) { w, site in write(site, to: &w) }
            w.strings(details.functions[k].returns)
        }
        w.array(details.classAttributes) { w, fact in
            w.recalledString(fact.className)
            w.string(fact.name)
            write(fact.value, to: &w)
            w.string(fact.valueText)
            w.optionalString(fact.annotation)
            write(fact.range, to: &w)
            w.bool(fact.isConstant)
        }
        w.array(details.mutations) { w, fact in
            w.string(fact.name)
            write(fact.kind, to: &w)
            w.optionalString(fact.function, recalled: true)
            write(fact.range, to: &w)
        }
        w.array(details.memberMutations) { w, fact in
            w.recalledString(fact.className)
            w.recalledString(fact.method)
            w.recalledString(fact.receiver)
            w.recalledString(fact.attribute)
            write(fact.kind, to: &w)
            write(fact.range, to: &w)
        }
    }

    static func write(_ range: SourceRange, to w: inout ByteWriter) {
        w.line(range.line)
        w.int(range.column)
        w.int(range.endLine - range.line)
        w.int(range.endColumn)
    }

    static func write(_ site: NameSite, to w: inout ByteWriter) {
        w.string(site.name)
        write(site.range, to: &w)
    }

    static func write(_ language: SourceLanguage, to w: inout ByteWriter) {
        switch language {
        case .python: w.byte(0)
        case .swift: w.byte(1)
        }
    }

    static func write(_ kind: TypeKind, to w: inout ByteWriter) {
        switch kind {
        case .class: w.byte(0)
        case .struct: w.byte(1)
        case .enum: w.byte(2)
        case .protocol: w.byte(3)
        case .actor: w.byte(4)
        case .typealias: w.byte(5)
        }
    }

    static func write(_ kind: ImportKind, to w: inout ByteWriter) {
        switch kind {
        case .runtime: w.byte(0)
        case .typeChecking: w.byte(1)
        case .function: w.byte(2)
        case .fallback: w.byte(3)
        }
    }

    static func write(_ value: ValueKind, to w: inout ByteWriter) {
        switch value {
        case .call(let name):
            w.byte(0)
            w.string(name)
        case .alias(let name):
            w.byte(1)
            w.string(name)
        case .mutableLiteral: w.byte(2)
        case .immutableLiteral: w.byte(3)
        case .other: w.byte(4)
        }
    }

    static func write(_ kind: MutationKind, to w: inout ByteWriter) {
        switch kind {
        case .subscriptAssign: w.byte(0)
        case .subscriptDelete: w.byte(1)
        case .augmentedAssign: w.byte(2)
        case .methodCall(let name):
            w.byte(3)
            w.string(name)
        case .rebind: w.byte(4)
        }
    }

    static func write(_ error: FileError, to w: inout ByteWriter) {
        w.string(error.path)
        w.int(error.line)
        w.int(error.column)
        w.string(error.message)
    }

    static func write(_ skipped: SkippedFile, to w: inout ByteWriter) {
        w.string(skipped.path)
        w.string(skipped.reason)
    }

    /// A finding, inside `recallingStrings` (the findings store's whole payload): its rule, paths, subject and
    /// related messages repeat from one finding to the next.
    static func write(_ finding: Finding, to w: inout ByteWriter) {
        w.recalledString(finding.rule)
        w.recalledString(finding.code)
        write(finding.severity, to: &w)
        write(finding.location, to: &w)
        w.string(finding.message)
        w.recalledString(finding.subject)
        w.array(finding.related) { w, related in
            write(related.location, to: &w)
            w.recalledString(related.message)
        }
        w.optionalString(finding.fingerprint)
        w.optionalString(finding.lineHash)
        // 0: no fix; 1: a move; 2: unfixable, with its reason. (Kept as JSON, each fix cost a warm scan 120,000
        // instructions in `JSONDecoder`.)
        switch finding.fix {
        case nil: w.byte(0)
        case .move(let move)?:
            w.byte(1)
            w.recalledString(move.path)
            write(move.clause, to: &w)
            write(move.statement, to: &w)
            w.recalledString(move.source)
            w.recalledString(move.name)
            w.recalledString(move.target)
            w.recalledString(move.targetName)
        case .unfixable(let reason)?:
            w.byte(2)
            w.string(reason)
        }
    }

    /// An edit, inside `recallingStrings`, as findings are.
    static func write(_ edit: TextEdit, to w: inout ByteWriter) {
        w.recalledString(edit.path)
        write(edit.range, to: &w)
        w.string(edit.replacement)
    }

    /// A location, inside `recallingStrings`, as findings are.
    static func write(_ location: SourceLocation, to w: inout ByteWriter) {
        w.recalledString(location.path)
        write(location.range, to: &w)
    }

    static func write(_ severity: Severity, to w: inout ByteWriter) {
        switch severity {
        case .off: w.byte(0)
        case .note: w.byte(1)
        case .warning: w.byte(2)
        case .error: w.byte(3)
        }
    }

    // MARK: Reading

    /// Facts `write` wrote, to the end of `r`'s bytes. With `source`, the outcome `r` reads, the details are
    /// left undecoded (`DeferredDetails`), to be decoded from `source` when first read.
    static func readFacts(_ r: inout ByteReader, deferring source: EncodedOutcome? = nil) throws(CorruptCache) -> FileFacts {
        var (facts, functions, globalsAssigned) = try r.recallingStrings(readRecalling)
        guard let source else {
            facts.allDetails = try r.recallingStrings(readDetails)
            return facts
        }
        let start = r.offset
        _ = try r.bytes(r.buffer.count - start)
        let path = facts.path
        facts.deferDetails(
            to: DeferredDetails(topLevelFunctions: functions, globalsAssigned: globalsAssigned) {
                do throws(CorruptCache) {
                    return try source.withBytes { buffer throws(CorruptCache) in
                        var r = ByteReader(buffer, offset: start)
                        let details = try r.recallingStrings(readDetails)
                        guard r.isAtEnd else { throw CorruptCache() }
                        return details
                    }
                } catch {
                    // The cache file's checksum matched when it was loaded, and its bytes cannot change while they
                    // are mapped (the cache replaces its files by renaming new ones over them).
                    fatalError(
                        "The facts Canon's cache holds for '\(path)' could not be read although the cache file's checksum "
                            + "matched. Delete the cache folder (or scan with --no-cache) and report this.")
                }
            })
        return facts
    }

    private static func readRecalling(
        _ r: inout ByteReader
    ) throws(CorruptCache) -> (FileFacts, functions: [TopLevelFunction], globalsAssigned: [String]) {
        var facts = FileFacts(
            path: try r.string(), module: try r.string(), isPackage: try r.bool(), language: try readLanguage(&r),
            isStub: try r.bool())
        facts.imports = try r.array { r throws(CorruptCache) in
            let form: ImportFact.Form = try r.bool() ? .from : .plain
            return ImportFact(
                form: form, module: try r.recalledString(), writtenModule: try r.recalledString(), level: try r.int(),
                name: try r.optionalString(), alias: try r.optionalString(), kind: try readImportKind(&r),
                range: try readRange(&r), statementRange: try readRange(&r), attributes: try r.strings())
        }
        facts.classes = try r.array { r throws(CorruptCache) in
            ClassFact(
                name: try r.string(), qualifiedName: try r.string(), bases: try r.strings(recalled: true),
                keywords: try r.strings(), decorators: try r.strings(recalled: true), range: try readRange(&r),
                bodyRange: try readRange(&r), isTopLevel: try r.bool(), kind: try readTypeKind(&r))
        }
        let functions = try r.array { r throws(CorruptCache) in
            TopLevelFunction(index: try r.int(), name: try r.string(), range: try readRange(&r))
        }
        let globalsAssigned = try r.strings()
        facts.assignments = try r.array { r throws(CorruptCache) in
            AssignmentFact(
                name: try r.string(), value: try readValueKind(&r), range: try readRange(&r),
                statementRange: try readRange(&r), isAnnotated: try r.bool(), isAugmented: try r.bool(),
                annotation: try r.optionalString(), valueText: try r.optionalString(), isConstant: try r.bool())
        }
        facts.dunderAll = try r.bool() ? try r.strings() : nil
        facts.deprecations = try r.array { r throws(CorruptCache) in
            DeprecationFact(
                category: try r.string(), message: try r.optionalString(), range: try readRange(&r),
                viaFunction: try r.optionalString())
        }
        facts.deprecatedDeclarations = try r.array { r throws(CorruptCache) in
            DeprecatedDeclarationFact(
                symbol: try r.string(), message: try r.optionalString(), renamed: try r.optionalString(),
                range: try readRange(&r))
        }
        facts.moduleGetattr =
            try r.bool() ? ModuleGetattrFact(range: try readRange(&r), warnsDeprecation: try r.bool()) : nil
        facts.attributeUses = try r.array { r throws(CorruptCache) in
            AttributeUseFact(base: try r.recalledString(), path: try r.strings(recalled: true), range: try readRange(&r))
        }
        facts.suppressions = try r.array { r throws(CorruptCache) in
            SuppressionFact(
                rules: try r.strings(), reason: try r.optionalString(), isFileLevel: try r.bool(),
                range: try readRange(&r))
        }
        facts.moduleCalls = try r.array(readNameSite)
        return (facts, functions, globalsAssigned)
    }

    private static func readDetails(_ r: inout ByteReader) throws(CorruptCache) -> FileFacts.Details {
        var details = FileFacts.Details()
        details.functions = try r.array { r throws(CorruptCache) in
            FunctionFact(
                name: try r.string(), qualifiedName: try r.string(), className: try r.optionalString(recalled: true),
                decorators: try r.strings(recalled: true), parameters: try r.strings(recalled: true),
                isAsync: try r.bool(), isTopLevel: try r.bool(), range: try readRange(&r), bodyRange: try readRange(&r),
                globals: try r.array(readNameSite), assignedNames: try r.array(readNameSite), returns: try r.strings())
        }
        details.classAttributes = try r.array { r throws(CorruptCache) in
            ClassAttributeFact(
                className: try r.recalledString(), name: try r.string(), value: try readValueKind(&r),
                valueText: try r.string(), annotation: try r.optionalString(), range: try readRange(&r),
                isConstant: try r.bool())
        }
        details.mutations = try r.array { r throws(CorruptCache) in
            MutationFact(
                name: try r.string(), kind: try readMutationKind(&r), function: try r.optionalString(recalled: true),
                range: try readRange(&r))
        }
        details.memberMutations = try r.array { r throws(CorruptCache) in
            MemberMutationFact(
                className: try r.recalledString(), method: try r.recalledString(), receiver: try r.recalledString(),
                attribute: try r.recalledString(), kind: try readMutationKind(&r), range: try readRange(&r))
        }
        return details
    }

    static func readRange(_ r: inout ByteReader) throws(CorruptCache) -> SourceRange {
        let line = try r.line()
        let column = try r.int()
        let lines = try r.int()
        return SourceRange(line: line, column: column, endLine: line + lines, endColumn: try r.int())
    }

    static func readNameSite(_ r: inout ByteReader) throws(CorruptCache) -> NameSite {
        NameSite(name: try r.string(), range: try readRange(&r))
    }

    static func readLanguage(_ r: inout ByteReader) throws(CorruptCache) -> SourceLanguage {
        switch try r.byte() {
        case 0: return .python
        case 1: return .swift
        default: throw CorruptCache()
        }
    }

    static func readTypeKind(_ r: inout ByteReader) throws(CorruptCache) -> TypeKind {
        switch try r.byte() {
        case 0: return .class
        case 1: return .struct
        case 2: return .enum
        case 3: return .protocol
        case 4: return .actor
        case 5: return .typealias
        default: throw CorruptCache()
        }
    }

    static func readImportKind(_ r: inout ByteReader) throws(CorruptCache) -> ImportKind {
        switch try r.byte() {
        case 0: return .runtime
        case 1: return .typeChecking
        case 2: return .function
        case 3: return .fallback
        default: throw CorruptCache()
        }
    }

    static func readValueKind(_ r: inout ByteReader) throws(CorruptCache) -> ValueKind {
        switch try r.byte() {
        case 0: return .call(try r.string())
        case 1: return .alias(try r.string())
        case 2: return .mutableLiteral
        case 3: return .immutableLiteral
        case 4: return .other
        default: throw CorruptCache()
        }
    }

    static func readMutationKind(_ r: inout ByteReader) throws(CorruptCache) -> MutationKind {
        switch try r.byte() {
        case 0: return .subscriptAssign
        case 1: return .subscriptDelete
        case 2: return .augmentedAssign
        case 3: return .methodCall(try r.string())
        case 4: return .rebind
        default: throw CorruptCache()
        }
    }

    static func readError(_ r: inout ByteReader) throws(CorruptCache) -> FileError {
        FileError(path: try r.string(), line: try r.int(), column: try r.int(), message: try r.string())
    }

    static func readSkipped(_ r: inout ByteReader) throws(CorruptCache) -> SkippedFile {
        SkippedFile(path: try r.string(), reason: try r.string())
    }

    static func readFinding(_ r: inout ByteReader) throws(CorruptCache) -> Finding {
        var finding = Finding(
            rule: try r.recalledString(), code: try r.recalledString(), severity: try readSeverity(&r),
            location: try readLocation(&r), message: try r.string(), subject: try r.recalledString(),
            related: try r.array { r throws(CorruptCache) in
                RelatedLocation(location: try readLocation(&r), message: try r.recalledString())
            })
        finding.fingerprint = try r.optionalString()
        finding.lineHash = try r.optionalString()
        switch try r.byte() {
        case 0: break
        case 1:
            finding.fix = .move(
                ImportMove(
                    path: try r.recalledString(), clause: try readRange(&r), statement: try readRange(&r),
                    source: try r.recalledString(), name: try r.recalledString(), target: try r.recalledString(),
                    targetName: try r.recalledString()))
        case 2: finding.fix = .unfixable(reason: try r.string())
        default: throw CorruptCache()
        }
        return finding
    }

    static func readEdit(_ r: inout ByteReader) throws(CorruptCache) -> TextEdit {
        TextEdit(path: try r.recalledString(), range: try readRange(&r), replacement: try r.string())
    }

    static func readLocation(_ r: inout ByteReader) throws(CorruptCache) -> SourceLocation {
        SourceLocation(path: try r.recalledString(), range: try readRange(&r))
    }

    static func readSeverity(_ r: inout ByteReader) throws(CorruptCache) -> Severity {
        switch try r.byte() {
        case 0: return .off
        case 1: return .note
        case 2: return .warning
        case 3: return .error
        default: throw CorruptCache()
        }
    }
}
