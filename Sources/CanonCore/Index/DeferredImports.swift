/// The symbol imports and re-exports of a table made without them (`SymbolTable.init(files:compiledModules:jobs:resolvingImports:)`).
/// After an edit whose reach is a few files, the rules that run read those files' imports and no others:
/// resolving every file's (a quarter of a billion instructions on the shared corpora) went mostly unread.
///
/// A file's imports are worked out the first time they are asked for, on the asking thread, with a memo kept
/// across such requests; all of them, on every core as a full build does, when the list of all is asked for.
/// A resolution does not depend on what was asked before it (see `CycleMemo`), so either way each file's list
/// is the one a full build gives.
final class DeferredImports: Sendable {
    /// The files that stand for modules (in path order when made by a `ProjectIndex`).
    private let files: [FileFacts]
    private let inPathOrder: Bool
    private let space: ModuleSpace
    /// Every file's imports and the packages' re-exports, worked out once on `jobs` threads.
    let whole: Lazy<SymbolTable.Worked>
    private let some = Locked(Some())

    /// The files asked for one by one, and what resolving them memoized.
    private struct Some {
        var byPath: [String: [SymbolImport]] = [:]
        var memo: [SymbolKey: ResolvedSymbol] = [:]
    }

    init(files: [FileFacts], packages: [String], space: ModuleSpace, jobs: Int) {
        self.files = files
        inPathOrder = files.indices.dropFirst().allSatisfy { files[$0 - 1].path < files[$0].path }
        self.space = space
        whole = Lazy { SymbolTable.work(files, packages: packages, space: space, jobs: jobs) }
    }

    /// What working out the imports memoized: every file's, once worked out, else those asked for so far.
    var memo: ResolutionMemo {
        if let whole = whole.ifBuilt { return whole.memo }
        return some.withLock { ResolutionMemo(parts: [$0.memo]) }
    }

    /// The symbol imports of the file at `path`, in position order; none for a file that stands for no module.
    func imports(in path: String) -> [SymbolImport] {
        if let whole = whole.ifBuilt { return whole.importsByPath[path] ?? [] }
        return some.withLock { some in
            if let known = some.byPath[path] { return known }
            guard let file = inPathOrder ? ProjectIndex.file(atPath: path, in: files) : files.first(where: { $0.path == path }) else {
                return []
            }
            var resolver = Resolver(space: space, base: ResolutionMemo(parts: [some.memo]))
            let sites = resolver.symbolImports(of: file)
            some.memo.merge(resolver.symbols.values) { kept, _ in kept }
            some.byPath[path] = sites
            return sites
        }
    }
}
