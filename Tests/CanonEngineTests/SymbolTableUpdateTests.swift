@testable import CanonCore
import CanonPython
import Testing

/// A symbol table updated for a one-file change (`ProjectIndex.replace`) must be the table built from scratch
/// for the changed project: every resolution, every symbol import, star export, binder and re-export. The edits
/// change what modules bind (the cases an update must reach beyond the edited file), laid one over another.
@Suite struct SymbolTableUpdateTests {
    static let project: [(path: String, module: String, text: String)] = [
        ("pkg/__init__.py", "pkg", "from pkg.models import Order\nfrom pkg.util import *\n__all__ = ['Order', 'helper']\n"),
        ("pkg/models.py", "pkg.models", "import pkg.registry\n\n\nclass Order:\n    pass\n\n\nclass Base:\n    pass\n"),
        ("pkg/util.py", "pkg.util", "from pkg import models\n\n\ndef helper():\n    return 1\n\n\nCACHE = {}\n"),
        ("pkg/registry.py", "pkg.registry", "from pkg.models import Order\n\n\nclass Registry:\n    pass\n\n\nREGISTRY = Registry()\n"),
        ("pkg/sub/__init__.py", "pkg.sub", "from .deep import *\n"),
        ("pkg/sub/deep.py", "pkg.sub.deep", "from pkg.util import *\n\n\nclass Deep:\n    pass\n"),
        ("app/a.py", "app.a", "from pkg import Order\nfrom pkg.util import helper\nimport pkg.sub\n\nx = pkg.sub.Deep\n"),
        ("app/b.py", "app.b", "from pkg.models import Order\nimport pkg.models as m\nimport pkg\n\ny = m.Order\nz = pkg.util.helper\nw = pkg.models.Base\n"),
        ("app/c.py", "app.c", "from pkg.registry import Order\nfrom pkg.missing import Nope\nfrom pkg.models import Gone\n\ntry:\n    from pkg.util import fast\nexcept ImportError:\n    fast = None\n"),
        ("app/d.py", "app.d", "from app.e import thing\n\nthing2 = thing\n"),
        ("app/e.py", "app.e", "from app.d import thing2 as thing\n"),
    ]

    /// Lines an edit appends to a module; each changes what the module binds.
    static let additions = [
        "def gen{n}():\n    pass\n", "class Order:\n    pass\n", "class Deep:\n    pass\n", "from pkg.util import *\n",
        "from pkg.sub import *\n", "__all__ = ['Order', 'gen{n}']\n", "__all__ = ['helper', 'Deep']\n", "from pkg.models import Gone\n",
        "from pkg import helper\n", "Gone = 1\n", "helper = None\n", "fast = 1\n", "def fast():\n    pass\n", "models = 1\n",
        "util = 2\n", "thing = 1\n", "import pkg.sub.deep as deep\nDeep2 = deep.Deep\n", "from pkg.registry import *\n",
        "try:\n    from pkg.models import Base\nexcept ImportError:\n    Base = None\n", "Order = Registry\n", "import pkg.util as models\n",
        "from app.d import thing2\n", "def __getattr__(name):\n    return name\n", "sub = None\n",
    ]

    static func facts(_ entry: (path: String, module: String, text: String)) -> FileFacts? {
        try? PythonFrontEnd.facts(
            source: Array(entry.text.utf8), path: entry.path, module: entry.module, isPackage: entry.path.hasSuffix("__init__.py"),
            isStub: false)
    }

    /// The project's facts after each of `count` random additions (`seed` picks them), laid one over another,
    /// with the step's number.
    static func appendedStates(seed: UInt64, count: Int) -> [(step: Int, facts: [FileFacts])] {
        var files = project
        var steps = Steps(state: seed)
        return (0..<count).map { step in
            let at = steps.next(files.count)
            files[at].text += additions[steps.next(additions.count)].replacingOccurrences(of: "{n}", with: "\(step)")
            return (step, files.compactMap(facts))
        }
    }

    /// A small deterministic generator, so a failure names the step that shows it.
    struct Steps {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(32))) func updatedTableEqualsRebuiltTable(seed: UInt64) throws {
        var files = Self.project
        // Every other seed, the table starts without its symbol imports, which the update works out first.
        var index = ProjectIndex(files: files.compactMap(Self.facts), deferringSymbolImports: seed % 2 == 1)
        _ = index.symbols
        index.prepareForReplace()
        var steps = Steps(state: seed)
        var lastRebuilt: ProjectIndex?
        for step in 0..<80 {
            let at = steps.next(files.count)
            var lines = files[at].text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if steps.next(4) == 0, lines.count > 2 {
                lines.remove(at: steps.next(lines.count - 1))
            } else {
                lines.append(Self.additions[steps.next(Self.additions.count)].replacingOccurrences(of: "{n}", with: "\(step)"))
            }
            var entry = files[at]
            entry.text = lines.joined(separator: "\n")
            guard let edited = Self.facts(entry) else { continue }
            files[at] = entry
            let before = index
            let replaced = index.replace(edited)
            #expect(replaced)
            let updated = index.symbols
            let rebuiltIndex = ProjectIndex(files: files.compactMap(Self.facts))
            let rebuilt = rebuiltIndex.symbols
            let context = "seed \(seed), step \(step): \(entry.path) now\n\(entry.text)"
            // The definitions, star importers and import masks, updated in place; and a copy of the index from
            // before keeps its own definitions, which the update took out of it.
            // An index for a check after an edit keeps each file's mask of top packages; another has none.
            let masks = rebuiltIndex.files.map { ImportReach.topMask(of: $0.imports) }
            #expect(index.importMasks == (seed % 2 == 1 ? masks : []), "\(context)")
            #expect(index.definedNames == rebuiltIndex.definedNames, "\(context)")
            for name in rebuiltIndex.definedNames { #expect(index.definitions(of: name) == rebuiltIndex.definitions(of: name), "\(name) — \(context)") }
            for path in files.map({ $0.path }) {
                #expect(index.starImporters(of: [path]) == rebuiltIndex.starImporters(of: [path]), "star importers of \(path) — \(context)")
            }
            if let lastRebuilt, step % 4 == 0 {
                #expect(before.definedNames == lastRebuilt.definedNames, "before \(context)")
                for name in lastRebuilt.definedNames { #expect(before.definitions(of: name) == lastRebuilt.definitions(of: name), "before: \(name) — \(context)") }
            }
            lastRebuilt = rebuiltIndex
            for key in Set(updated.resolved.keys).union(rebuilt.resolved.keys) {
                #expect(updated.resolve(key.name, in: key.module) == rebuilt.resolve(key.name, in: key.module), "\(key) — \(context)")
            }
            for path in Set(updated.importsByPath.keys).union(rebuilt.importsByPath.keys) {
                let (mine, theirs) = (updated.importsByPath[path] ?? [], rebuilt.importsByPath[path] ?? [])
                #expect(mine == theirs, "imports of \(path): \(mine.filter { !theirs.contains($0) }) instead of \(theirs.filter { !mine.contains($0) }) — \(context)")
            }
            #expect(updated.space.exports == rebuilt.space.exports, "\(context)")
            var bindersDiffer = false
            for module in Set(updated.space.modules.keys).union(rebuilt.space.modules.keys) {
                let (mine, theirs) = (updated.binderNames(in: module), rebuilt.binderNames(in: module))
                #expect(mine == theirs, "binders in \(module) — \(context)")
                bindersDiffer = bindersDiffer || mine != theirs
            }
            #expect(updated.reExports == rebuilt.reExports, "\(context)")
            if updated.importsByPath != rebuilt.importsByPath || bindersDiffer { return }
        }
    }

    /// A table worked out on several threads (each with a memo of its own, kept as parts) is the table worked
    /// out on one: after each of a run of random edits, every resolution memoized, every cycle, symbol import,
    /// binder and re-export.
    @Test(arguments: Array(UInt64(1)...UInt64(16))) func tableOnSeveralThreadsEqualsTableOnOne(seed: UInt64) {
        for (step, facts) in Self.appendedStates(seed: seed, count: 40) {
            let one = SymbolTable(files: facts, jobs: 1)
            let context = "seed \(seed), step \(step)"
            for jobs in [2, 3] {
                let several = SymbolTable(files: facts, jobs: jobs)
                #expect(several.resolved == one.resolved, "\(context), \(jobs) threads")
                #expect(several.cycles == one.cycles, "\(context), \(jobs) threads")
                #expect(several.importsByPath == one.importsByPath, "\(context), \(jobs) threads")
                #expect(several.importPaths == one.importPaths, "\(context), \(jobs) threads")
                for module in one.space.modules.keys {
                    #expect(several.binderNames(in: module) == one.binderNames(in: module), "\(context), \(jobs) threads, \(module)")
                }
                #expect(several.reExports == one.reExports, "\(context), \(jobs) threads")
            }
        }
    }

    /// A table made without its symbol imports (`resolvingImports: false`) gives each file's, asked for one by
    /// one or all at once, what the table that worked them out ahead holds; every name resolves alike in both;
    /// and once worked out, its imports, re-exports, memo and cycles are that table's.
    @Test(arguments: Array(UInt64(1)...UInt64(8))) func deferredImportsAreTheImportsWorkedOutAhead(seed: UInt64) {
        var steps = Steps(state: seed)
        for (step, facts) in Self.appendedStates(seed: seed, count: 30) {
            let ahead = SymbolTable(files: facts, jobs: 2)
            let deferred = SymbolTable(files: facts, jobs: 2, resolvingImports: false)
            let context = "seed \(seed), step \(step)"
            #expect(deferred.importsByPath.isEmpty && deferred.reExports.isEmpty, "\(context)")
            for _ in 0..<steps.next(4) {
                let path = facts[steps.next(facts.count)].path
                #expect(deferred.imports(in: path) == ahead.imports(in: path), "imports of \(path), \(context)")
            }
            for module in ahead.space.modules.keys {
                for name in ahead.space.modules[module]!.bindings.keys.map(\.text) {
                    #expect(deferred.resolve(name, in: module) == ahead.resolve(name, in: module), "\(module).\(name), \(context)")
                }
            }
            #expect(deferred.allImports == ahead.importsByPath, "\(context)")
            for path in facts.map(\.path) { #expect(deferred.imports(in: path) == ahead.imports(in: path), "\(path), \(context)") }
            var worked = deferred
            worked.resolveDeferredImports()
            #expect(worked.deferred == nil && worked.importsByPath == ahead.importsByPath, "\(context)")
            #expect(worked.reExports == ahead.reExports, "\(context)")
            #expect(worked.resolved == ahead.resolved, "\(context)")
            #expect(worked.cycles == ahead.cycles, "\(context)")
        }
    }
}
