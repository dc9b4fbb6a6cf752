import CanonCore
import Foundation

/// The consolidation page of a project: per concept (or, with none declared, per most fragmented symbol)
/// where it is defined and bound, each import path with the files using it, and a verdict.
public struct ConceptReport: Sendable, Hashable, Codable {
    /// A place in the project: a module, the name it binds there, and where.
    public struct Place: Sendable, Hashable, Codable {
        public var module: String
        public var name: String
        public var path: String
        public var line: Int
    }

    /// One import path of a concept and how many files take the concept through it.
    public struct ImportPath: Sendable, Hashable, Codable {
        /// The module imported from.
        public var module: String
        /// The names taken through it, sorted.
        public var names: [String]
        public var files: Int
        /// Whether this is the canonical path.
        public var canonical: Bool
    }

    public struct Entry: Sendable, Hashable, Codable {
        /// The concept's name, or the qualified name of a symbol when no concepts are declared.
        public var name: String
        /// Whether the policy declares this concept.
        public var declared: Bool
        /// The import statement the project should converge on, if the concept has a definition.
        public var canonical: String?
        public var definitions: [Place]
        /// Modules other than the definitions' that bind it (re-exports and aliases) and are used as paths.
        public var bindings: [Place]
        public var paths: [ImportPath]
        /// The files that import it, sorted.
        public var files: [String]
        public var maxFiles: Int?
        public var verdict: String
        /// Whether the concept is fragmented or over its file budget.
        public var needsWork: Bool
    }

    public var entries: [Entry]
    /// Whether the entries are the policy's concepts (else the most fragmented symbols).
    public var declaredConcepts: Bool

    /// How many symbols the report lists when the policy declares no concepts.
    public static let undeclaredLimit = 20

    /// Computes the report: every declared concept, or the most fragmented symbols when there are none.
    public init(context: DetectionContext) {
        let graph = ImportGraph(context: context)
        let groups = graph.importsByDefinition(kinds: Set(ImportKind.allCases))
        if !graph.concepts.isEmpty {
            declaredConcepts = true
            entries = graph.concepts.map { Self.entry(for: $0, graph: graph, groups: groups).entry }
        } else {
            declaredConcepts = false
            let candidates = groups.map { group -> Entry in
                let canonical = graph.canonicalPath(for: group.site, imports: group.imports)
                return Self.entry(
                    name: "\(group.site.module).\(group.site.name)", declared: false, members: [group.site],
                    imports: group.imports.filter { !graph.isInternal($0, canonical: canonical) }, canonical: canonical,
                    maxFiles: nil)
            }
            entries = Array(
                candidates.filter { $0.paths.count > 1 }
                    .sorted { ($1.paths.count, $1.files.count, $0.name) < ($0.paths.count, $0.files.count, $1.name) }
                    .prefix(Self.undeclaredLimit))
        }
    }

    /// The entry of a declared concept, and its primary definition (the one in the canonical module, else the
    /// first in path order): its members are the definitions whose names it matches, and those that names it
    /// matches are aliases of.
    static func entry(
        for matcher: ConceptMatcher, graph: ImportGraph, groups: [(site: DefinitionSite, imports: [SymbolImport])]
    ) -> (entry: Entry, primary: DefinitionSite?) {
        let index = graph.index
        var members: Set<DefinitionSite> = []
        for name in index.definedNames where matcher.matches(name) {
            for site in index.definitions(of: name) {
                if let origin = index.resolve(name, in: site.module).origin.definition { members.insert(origin) }
            }
        }
        for group in groups where group.imports.contains(where: { matcher.matches($0.name) }) { members.insert(group.site) }
        let ordered = members.sorted { $0.location < $1.location }
        let primary = matcher.concept.canonical.flatMap { module in ordered.first { $0.module == module } } ?? ordered.first
        let all = groups.filter { members.contains($0.site) }.flatMap(\.imports)
        let canonical = primary.map { site in
            matcher.concept.canonical.map {
                CanonicalPath(module: $0, name: graph.name(of: site, in: $0) ?? site.name, reason: .concept(matcher.concept.name))
            } ?? graph.canonicalPath(for: site, imports: all.filter { $0.resolution.origin.definition == site })
        }
        let imports = all.filter { item in canonical.map { !graph.isInternal(item, canonical: $0) } ?? true }
        let entry = entry(
            name: matcher.concept.name, declared: true, members: ordered, imports: imports, canonical: canonical,
            maxFiles: matcher.concept.maxFiles)
        return (entry, primary)
    }

    static func entry(
        name: String, declared: Bool, members: [DefinitionSite], imports: [SymbolImport], canonical: CanonicalPath?,
        maxFiles: Int?
    ) -> Entry {
        let definitions = members.map { Place(module: $0.module, name: $0.name, path: $0.path, line: $0.range.line) }
        var names: [String: Set<String>] = [:]
        var files: [String: Set<String>] = [:]
        var bindings: [String: Place] = [:]
        let definingModules = Set(members.map(\.module))
        for item in imports {
            names[item.source, default: []].insert(item.name)
            files[item.source, default: []].insert(item.path)
            if !definingModules.contains(item.source), bindings[item.source] == nil, let step = item.resolution.chain.first {
                bindings[item.source] = Place(module: step.module, name: step.name, path: step.location.path, line: step.location.range.line)
            }
        }
        let paths = files.keys.map { module in
            ImportPath(
                module: module, names: names[module, default: []].sorted(), files: files[module, default: []].count,
                canonical: module == canonical?.module)
        }.sorted { $0.files != $1.files ? $0.files > $1.files : $0.module < $1.module }
        let allFiles = Set(imports.map(\.path)).sorted()
        var problems: [String] = []
        if paths.count > 1 {
            let others = paths.filter { !$0.canonical }.reduce(0) { $0 + $1.files }
            let target = canonical.map { "'\($0.statement)'" } ?? "one path"
            problems.append("fragmented: \(paths.count) import paths; move the \(ImportGraph.count(others, "file")) on other paths to \(target)")
        }
        if let maxFiles, allFiles.count > maxFiles {
            problems.append("over budget: \(ImportGraph.count(allFiles.count, "file")) import it, max_files is \(maxFiles)")
        }
        let verdict: String
        if !problems.isEmpty {
            verdict = problems.joined(separator: "; ")
        } else if members.isEmpty {
            verdict = "not defined in the project"
        } else if paths.isEmpty {
            verdict = "not imported by other modules"
        } else {
            verdict = "consolidated: one import path (\(paths[0].module)), \(ImportGraph.count(allFiles.count, "file"))"
        }
        return Entry(
            name: name, declared: declared, canonical: canonical?.statement, definitions: definitions,
            bindings: bindings.values.sorted { ($0.path, $0.line) < ($1.path, $1.line) }, paths: paths, files: allFiles,
            maxFiles: maxFiles, verdict: verdict, needsWork: !problems.isEmpty)
    }
}

/// The formats `canon report` writes.
public enum ConceptReportFormat: String, Sendable, CaseIterable {
    case text
    case json
    case markdown
}

extension ConceptReport {
    /// How many files a rendered entry lists before it says how many more there are.
    public static let listedFiles = 50

    /// The report in `format`, ending in a newline.
    public func rendered(as format: ConceptReportFormat) -> String {
        switch format {
        case .text: text()
        case .markdown: markdown()
        case .json: json()
        }
    }

    private var title: String {
        declaredConcepts ? "Concepts" : "The \(Self.undeclaredLimit) most fragmented symbols (no concepts declared in the policy)"
    }

    func text() -> String {
        var out = "\(title)\n"
        if entries.isEmpty { out += "\n" + (declaredConcepts ? "No concepts.\n" : "No symbol is imported through more than one path.\n") }
        for entry in entries {
            out += "\n\(entry.name): \(entry.verdict)\n"
            if let canonical = entry.canonical { out += "  canonical: \(canonical)\n" }
            for place in entry.definitions { out += "  defined: \(place.module).\(place.name) (\(place.path):\(place.line))\n" }
            for place in entry.bindings { out += "  bound: \(place.module).\(place.name) (\(place.path):\(place.line))\n" }
            for path in entry.paths {
                let names = path.names.joined(separator: ", ")
                out += "  path: \(path.module) [\(names)]: \(ImportGraph.count(path.files, "file"))\(path.canonical ? " (canonical)" : "")\n"
            }
            let budget = entry.maxFiles.map { " (max \($0))" } ?? ""
            out += "  files: \(entry.files.count)\(budget)\n"
            for file in entry.files.prefix(Self.listedFiles) { out += "    \(file)\n" }
            if entry.files.count > Self.listedFiles { out += "    ... and \(entry.files.count - Self.listedFiles) more\n" }
        }
        return out
    }

    func markdown() -> String {
        var out = "# \(title)\n"
        if entries.isEmpty { out += "\n" + (declaredConcepts ? "No concepts.\n" : "No symbol is imported through more than one path.\n") }
        if !entries.isEmpty {
            out += "\n| \(declaredConcepts ? "concept" : "symbol") | paths | files | verdict |\n| --- | --- | --- | --- |\n"
            for entry in entries { out += "| `\(entry.name)` | \(entry.paths.count) | \(entry.files.count) | \(entry.verdict) |\n" }
        }
        for entry in entries {
            out += "\n## \(entry.name)\n\n**\(entry.verdict)**\n\n"
            if let canonical = entry.canonical { out += "Canonical: `\(canonical)`\n\n" }
            if !entry.definitions.isEmpty {
                out += "Defined in:\n\n" + entry.definitions.map { "- `\($0.module).\($0.name)` (`\($0.path):\($0.line)`)\n" }.joined() + "\n"
            }
            if !entry.bindings.isEmpty {
                out += "Bound in:\n\n" + entry.bindings.map { "- `\($0.module).\($0.name)` (`\($0.path):\($0.line)`)\n" }.joined() + "\n"
            }
            if !entry.paths.isEmpty {
                out += "| import path | names | files |\n| --- | --- | --- |\n"
                for path in entry.paths {
                    out += "| `\(path.module)`\(path.canonical ? " (canonical)" : "") | \(path.names.map { "`\($0)`" }.joined(separator: ", ")) | \(path.files) |\n"
                }
                out += "\n"
            }
            let budget = entry.maxFiles.map { " (max \($0))" } ?? ""
            out += "<details><summary>\(ImportGraph.count(entry.files.count, "file"))\(budget)</summary>\n\n"
            out += entry.files.prefix(Self.listedFiles).map { "- `\($0)`\n" }.joined()
            if entry.files.count > Self.listedFiles { out += "- ... and \(entry.files.count - Self.listedFiles) more\n" }
            out += "\n</details>\n"
        }
        return out
    }

    func json() -> String {
        struct Document: Encodable {
            let version: Int
            let declaredConcepts: Bool
            let concepts: [Entry]
        }
        return JSONOutput.text(Document(version: 1, declaredConcepts: declaredConcepts, concepts: entries))
    }
}
