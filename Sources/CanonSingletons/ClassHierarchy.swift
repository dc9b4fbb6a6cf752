import CanonCore

/// The project's classes with their bases resolved through imports, for walking up and down inheritance.
/// Built once per scan and shared by the rules that read it.
struct ClassHierarchy: IncrementallyDerived {
    /// A class, behind one reference: entries are copied wherever classes are listed or looked up, and a copy
    /// of the class's facts and key retained each of their strings and arrays.
    final class Entry: Hashable, Sendable {
        /// The file (one reference, shared by its classes' entries: see `FileFacts`).
        let file: FileFacts
        let fact: ClassFact
        /// `module.QualifiedName`, the class's identity.
        let key: String

        var path: String { file.path }
        var module: String { file.module }
        var language: SourceLanguage { file.language }

        init(file: FileFacts, fact: ClassFact) {
            self.file = file
            self.fact = fact
            key = DottedName.join(file.module, fact.qualifiedName)
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.key == rhs.key }
        func hash(into hasher: inout Hasher) { hasher.combine(key) }
    }

    private var entries = NameTable<Entry>()
    /// Each class's resolved project bases, by key.
    private var bases = NameTable<[String]>()
    private var subclasses = NameTable<[String]>()
    /// Every class of the project, in path order.
    private(set) var all: [Entry] = []
    /// The classes (by key) whose bases' resolution read each module's top-level names; worked out on the
    /// first change of a module's names.
    private var readers: NameReaders?

    init(index: ProjectIndex) {
        let names = ProjectNames(index: index)
        var inserted: [Entry] = []
        for file in index.moduleFiles where !file.classes.isEmpty {
            for fact in file.classes {
                let entry = Entry(file: file, fact: fact)
                if entries.insertIfAbsent(entry.key, entry) { inserted.append(entry) }
            }
        }
        for entry in inserted {
            var visits: [String]?
            link(entry, Self.resolvedBases(of: entry, names: names, visits: &visits))
        }
        // Files come in path order and their classes in source order, so the list is sorted already; checked
        // in one pass, which costs a fraction of sorting it.
        func precedes(_ a: Entry, _ b: Entry) -> Bool { (a.path, a.fact.range) < (b.path, b.fact.range) }
        all = inserted.sortedIfNeeded(by: precedes)
    }

    /// When the file keeps its shape (`ProjectNames.shape`), every base resolves as before: only the file's
    /// own entries take its new facts. Else see `reshape`.
    func replacing(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> ClassHierarchy? {
        var hierarchy = self
        return hierarchy.replace(old, with: new, in: index) ? hierarchy : nil
    }

    mutating func replace(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) -> Bool {
        guard ProjectNames.shape(of: old) == ProjectNames.shape(of: new) else {
            reshape(old, with: new, in: index)
            return true
        }
        var fresh: [Entry] = []
        for fact in new.classes {
            let entry = Entry(file: new, fact: fact)
            guard entries[entry.key]?.path == new.path, !fresh.contains(entry) else { continue }
            entries[entry.key] = entry
            fresh.append(entry)
        }
        all.replaceSubrange(span(of: new.path), with: fresh.sorted { $0.fact.range < $1.fact.range })
        return true
    }

    /// When the file's names changed: its classes are indexed again, and the classes (anywhere) whose bases'
    /// resolution read its module's names are resolved again.
    private mutating func reshape(_ old: FileFacts, with new: FileFacts, in index: ProjectIndex) {
        guard index.file(forModule: new.module)?.path == new.path else { return }
        let names = ProjectNames(index: index)
        if readers == nil {
            var all = NameReaders()
            for entry in entries.values {
                var visits: [String]? = []
                _ = Self.resolvedBases(of: entry, names: names, visits: &visits)
                all.note(visits, by: entry.key)
            }
            readers = all
        }
        for entry in all[span(of: old.path)] {
            unlink(entry.key)
            entries[entry.key] = nil
        }
        var fresh: [Entry] = []
        for fact in new.classes {
            let entry = Entry(file: new, fact: fact)
            guard entries[entry.key] == nil else { continue }
            entries[entry.key] = entry
            fresh.append(entry)
        }
        all.replaceSubrange(span(of: new.path), with: fresh.sorted { $0.fact.range < $1.fact.range })
        for key in Set(fresh.map(\.key)).union(readers?.readers(of: new.module) ?? []).sorted() {
            guard let entry = entries[key] else { continue }
            unlink(key)
            var visits: [String]? = []
            link(entry, Self.resolvedBases(of: entry, names: names, visits: &visits))
            readers?.note(visits, by: key)
        }
    }

    /// The keys of the project classes `entry`'s bases resolve to.
    private static func resolvedBases(of entry: Entry, names: ProjectNames, visits: inout [String]?) -> [String] {
        entry.fact.bases.compactMap { base -> String? in
            guard case .projectClass(let module, let fact) = names.resolve(base, in: entry.module, visits: &visits) else { return nil }
            return DottedName.join(module, fact.qualifiedName)
        }
    }

    private mutating func link(_ entry: Entry, _ resolved: [String]) {
        bases[entry.key] = resolved
        for base in resolved { subclasses[base, default: []].append(entry.key) }
    }

    /// Takes the class off the subclass lists of its bases and forgets its bases.
    private mutating func unlink(_ key: String) {
        for base in bases[key] ?? [] {
            subclasses[base]?.removeAll { $0 == key }
            if subclasses[base]?.isEmpty == true { subclasses[base] = nil }
        }
        bases[key] = nil
    }

    /// Where the classes of the file at `path` lie in `all`.
    private func span(of path: String) -> Range<Int> {
        all.partitioningIndex { $0.path >= path }..<all.partitioningIndex { $0.path > path }
    }

    /// The classes of the file at `path`, in `all`'s order.
    func entries(inPath path: String) -> ArraySlice<Entry> { all[span(of: path)] }

    /// The class whose key (`module.QualifiedName`) is `key`.
    func entry(key: String) -> Entry? { entries[key] }

    /// `starts` and every project class they derive from, transitively, in `all`'s order.
    func withAncestors(_ starts: [Entry]) -> [Entry] {
        var seen = NameSet()
        var result: [Entry] = []
        var pending = starts.map(\.key)
        while let key = pending.popLast() {
            guard seen.insert(key), let entry = entries[key] else { continue }
            result.append(entry)
            pending += bases[key] ?? []
        }
        result.sort { ($0.path, $0.fact.range) < ($1.path, $1.fact.range) }
        return result
    }

    func entry(module: String, qualifiedName: String) -> Entry? { entries[DottedName.join(module, qualifiedName)] }

    /// `owner` and its subclasses (transitively) that do not bind `name` themselves, so share `owner`'s.
    func sharingClasses(of name: String, from owner: Entry) -> [Entry] {
        var result: [Entry] = []
        var seen = NameSet()
        var pending = [owner.key]
        while let key = pending.popLast() {
            guard seen.insert(key), let entry = entries[key] else { continue }
            if key != owner.key,
                entry.file.classAttributes.contains(where: { $0.className == entry.fact.qualifiedName && $0.name == name })
            {
                continue
            }
            result.append(entry)
            pending += subclasses[key] ?? []
        }
        return result
    }

    /// The classes from `entry` up to `ancestor` along resolved bases, both included; just `entry` when
    /// `ancestor` is not above it.
    func lineage(from entry: Entry, to ancestor: Entry) -> [Entry] {
        var path = NameTable<String>()
        var pending = [entry.key]
        var seen: NameSet = [entry.key]
        while !pending.isEmpty, path[ancestor.key] == nil, entry.key != ancestor.key {
            let key = pending.removeFirst()
            for base in bases[key] ?? [] where seen.insert(base) {
                path[base] = key
                pending.append(base)
            }
        }
        guard path[ancestor.key] != nil else { return [entry] }
        var chain = [ancestor.key]
        while let next = path[chain[chain.count - 1]] { chain.append(next) }
        return chain.compactMap { entries[$0] }
    }

    /// The keys of the project classes that derive, transitively, from any of `keys` (not `keys` themselves,
    /// unless one derives from another): the only classes `firstAncestor(of:orSelf: false, where:)` can find one
    /// of `keys` above.
    func descendants(of keys: some Sequence<String>) -> NameSet {
        var found = NameSet()
        var pending = Array(keys)
        while let key = pending.popLast() {
            for subclass in subclasses[key] ?? [] where found.insert(subclass) { pending.append(subclass) }
        }
        return found
    }

    /// The keys of the project classes `entry` derives from directly.
    func bases(of entry: Entry) -> [String] { bases[entry.key] ?? [] }

    /// The nearest of `entry` (when `orSelf`) and the project classes it derives from, transitively, that
    /// satisfies `test`.
    func firstAncestor(of entry: Entry, orSelf: Bool = true, where test: (Entry) -> Bool) -> Entry? {
        var seen = NameSet()
        var pending = orSelf ? [entry.key] : bases(of: entry)
        while !pending.isEmpty {
            let key = pending.removeFirst()
            guard seen.insert(key), let current = entries[key] else { continue }
            if test(current) { return current }
            pending += bases[key] ?? []
        }
        return nil
    }
}
