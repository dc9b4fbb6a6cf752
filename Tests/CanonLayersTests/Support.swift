import Canon
import Foundation

/// Hand-built facts, so the layers family is tested without the front end: each import is written as its
/// statement would be, one statement a line.
enum Facts {
    /// A file at `path` whose module is named from its path, holding `imports` (each on the line it gives).
    static func file(_ path: String, _ imports: ImportFact...) -> FileFacts {
        let (module, isPackage) = ModuleNaming(rootPackage: nil).module(forPath: path)
        var facts = FileFacts(path: path, module: module, isPackage: isPackage, language: .python)
        facts.imports = imports
        return facts
    }

    /// `from module import name` on `line`.
    static func from(_ module: String, _ name: String, line: Int = 1, kind: ImportKind = .runtime) -> ImportFact {
        let column = "from \(module) import ".count + 1
        let statement = SourceRange(line: line, column: 1, endLine: line, endColumn: column + name.count)
        return ImportFact(
            form: .from, module: module, writtenModule: module, level: 0, name: name, alias: nil, kind: kind,
            range: SourceRange(line: line, column: column, endLine: line, endColumn: column + name.count),
            statementRange: statement)
    }

    /// `import module` on `line`.
    static func plain(_ module: String, line: Int = 1, kind: ImportKind = .runtime) -> ImportFact {
        let range = SourceRange(line: line, column: 8, endLine: line, endColumn: 8 + module.count)
        return ImportFact(
            form: .plain, module: module, writtenModule: module, level: 0, name: nil, alias: nil, kind: kind,
            range: range, statementRange: SourceRange(line: line, column: 1, endLine: line, endColumn: range.endColumn))
    }
}

/// Runs one rule (enabled as a warning, with `options` under it) over `files` with `policy`'s sections.
func findings(
    _ rule: String, policy: String = "", options: String = "", files: [FileFacts],
    registry: Registry = BuiltinRules.registry()
) throws -> [Finding] {
    let indented = options.split(separator: "\n").map { "    \($0)\n" }.joined()
    let loaded = try PolicyLoader(registry: registry).load(
        text: policy + "\nrules:\n  \(rule):\n    severity: warning\n" + indented, file: ".canon.yml")
    let rules = try loaded.configuredRules(registry: registry, select: [rule])
    return Engine.run(rules, on: DetectionContext(index: ProjectIndex(files: files), settings: loaded.settings))
}

/// Where each finding starts, as `path:line:column`.
func places(_ findings: [Finding]) -> [String] {
    findings.map { "\($0.location.path):\($0.location.range.line):\($0.location.range.column)" }
}
