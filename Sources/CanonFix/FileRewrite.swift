import CanonCore
import CanonPython

/// The rewrite of one file that carries out its fixable findings, checked to be safe: the edited text still
/// parses, and every name its imports bind is bound to the same object as before.
public struct FileRewrite: Sendable {
    public var path: String
    /// The bytes the rewrite was worked out from.
    public var originalBytes: [UInt8]
    public var original: String
    public var fixed: String
    /// The edits, sorted, not overlapping, in the original's coordinates.
    public var edits: [TextEdit]
    /// The findings it fixes.
    public var findings: [Finding]

    /// The fixed text's bytes.
    public var fixedBytes: [UInt8] { Array(fixed.utf8) }

    /// A unified diff from the original to the fixed text, labelled `a/<path>` and `b/<path>`.
    public var diff: String { UnifiedDiff.render(from: original, to: fixed, path: path) }

    /// Works out the rewrite of a file's bytes that fixes the fixable `findings` in it (others are ignored).
    ///
    /// - Parameters:
    ///   - bytes: The file's current contents.
    ///   - facts: The file's facts as the index has them (its path, module and imports).
    ///   - index: The project's index, to check that each binding keeps its origin.
    public static func plan(
        findings: [Finding], bytes: [UInt8], facts: FileFacts, index: ProjectIndex
    ) -> Result<FileRewrite, FixFailure> {
        prepare(bytes: bytes, facts: facts).flatMap { plan(findings: findings, from: $0, index: index) }
    }

    /// A file's current text, parsed and checked to import what the scan saw: what each rewrite of it is
    /// planned from, so that planning several findings of one file alone parses it once.
    struct Prepared: Sendable {
        let bytes: [UInt8]
        let original: String
        /// `original` as fixes address it, made once for all the rewrites planned from the file.
        let text: ScalarText
        let facts: FileFacts
        /// The facts of `bytes`, parsed now.
        let before: FileFacts
    }

    static func prepare(bytes: [UInt8], facts: FileFacts) -> Result<Prepared, FixFailure> {
        guard let original = String(validating: bytes, as: UTF8.self) else {
            return .failure(FixFailure("is not UTF-8; Canon rewrites only UTF-8 files, so it is left as it is"))
        }
        let before: FileFacts
        do {
            before = try PythonFrontEnd.facts(
                source: bytes, path: facts.path, module: facts.module, isPackage: facts.isPackage, isStub: facts.isStub)
        } catch {
            return .failure(FixFailure("no longer parses (line \(error.line): \(error.message)); left as it is"))
        }
        guard before.imports == facts.imports else {
            return .failure(FixFailure("changed since it was scanned; left as it is, run canon fix again"))
        }
        return .success(Prepared(bytes: bytes, original: original, text: ScalarText(original), facts: facts, before: before))
    }

    /// The rewrite of a prepared file that fixes the fixable `findings` in it.
    static func plan(findings: [Finding], from prepared: Prepared, index: ProjectIndex) -> Result<FileRewrite, FixFailure> {
        let (bytes, original, text, facts, before) = (prepared.bytes, prepared.original, prepared.text, prepared.facts, prepared.before)
        let mine = findings.filter { $0.location.path == facts.path && $0.fix?.move != nil }
        let edits: [TextEdit]
        switch ImportRewriter.edits(for: mine.compactMap { $0.fix?.move }, in: text, facts: before) {
        case .success(let found): edits = found
        case .failure(let failure): return .failure(FixFailure("cannot be rewritten: \(failure.message); left as it is"))
        }
        guard let fixed = text.applying(edits) else {
            return .failure(FixFailure("cannot be rewritten: its edits overlap; left as it is"))
        }
        let after: FileFacts
        do {
            after = try PythonFrontEnd.facts(
                source: Array(fixed.utf8), path: facts.path, module: facts.module, isPackage: facts.isPackage, isStub: facts.isStub)
        } catch {
            return .failure(FixFailure("would not parse after the fix (line \(error.line): \(error.message)); left as it is"))
        }
        if let change = bindingChange(from: before, to: after, index: index) {
            return .failure(FixFailure("would change what it binds after the fix (\(change)); left as it is"))
        }
        return .success(
            FileRewrite(path: facts.path, originalBytes: bytes, original: original, fixed: fixed, edits: edits, findings: mine))
    }

    /// What the fix would change in what the file defines and what its imports bind, nil when nothing: each
    /// import's local name, where it sits and the object it resolves to, and every definition and assignment.
    /// Sets, not counts: dropping an import that repeats another binding is no change.
    static func bindingChange(from before: FileFacts, to after: FileFacts, index: ProjectIndex) -> String? {
        func bindings(_ facts: FileFacts) -> Set<String> {
            var found = Set<String>()
            for fact in facts.imports {
                let origin: String
                switch fact.form {
                case .plain:
                    let module = fact.alias == nil ? String(fact.module.prefix { $0 != "." }) : fact.module
                    origin = describe(index.symbols.origin(ofModule: module))
                case .from:
                    origin = fact.isStar ? "everything \(fact.module) exports" : describe(index.resolve(fact.name ?? "", in: fact.module).origin)
                }
                found.insert("'\(fact.boundName ?? "*")' (\(fact.kind.rawValue) import) to \(origin)")
            }
            for name in facts.classes.map(\.qualifiedName) + facts.functions.map(\.qualifiedName) + facts.assignments.map(\.name) {
                found.insert("'\(name)' by its own statement")
            }
            return found
        }
        let old = bindings(before)
        let new = bindings(after)
        if let lost = old.subtracting(new).sorted().first { return "no longer \(lost)" }
        if let gained = new.subtracting(old).sorted().first { return "\(gained), which it did not" }
        return nil
    }

    private static func describe(_ origin: SymbolOrigin) -> String {
        switch origin {
        case .definition(let site): "\(site.module).\(site.name)"
        case .module(let module): "module \(module)"
        case .external(let module, let name): name.map { "\(module).\($0) (outside the project)" } ?? "module \(module) (outside the project)"
        case .missing(let module, let name): "\(module)\(name.map { ".\($0)" } ?? "") (missing)"
        case .dynamic(let module, let name): "\(module).\(name) (dynamic)"
        case .cycle(let module, let name): "\(module).\(name) (a cycle)"
        }
    }
}
