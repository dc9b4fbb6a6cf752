import CanonCore

/// Builds `FileFacts` by hand, so index logic is tested without a front end. Each fact gets its own line, in
/// the order it is given.
struct FactsBuilder {
    var facts: FileFacts
    private var line = 0

    init(_ path: String, package: Bool? = nil) {
        let trimmed = path.hasSuffix(".pyi") ? String(path.dropLast(4)) : String(path.dropLast(3))
        let isPackage = package ?? trimmed.hasSuffix("/__init__")
        var parts = trimmed.split(separator: "/").map(String.init)
        if isPackage { parts.removeLast() }
        facts = FileFacts(path: path, module: parts.joined(separator: "."), isPackage: isPackage, language: .python, isStub: path.hasSuffix(".pyi"))
    }

    private mutating func nextRange(column: Int = 1, width: Int = 1) -> SourceRange {
        line += 1
        return SourceRange(line: line, column: column, endLine: line, endColumn: column + width)
    }

    /// `from module import name [as alias]`
    func from(_ module: String, _ names: String..., alias: String? = nil, kind: ImportKind = .runtime) -> FactsBuilder {
        var copy = self
        for name in names {
            let range = copy.nextRange(column: 7 + module.count + 8, width: name.count)
            copy.facts.imports.append(
                ImportFact(
                    form: .from, module: module, writtenModule: module, level: 0, name: name, alias: alias, kind: kind,
                    range: range, statementRange: SourceRange(line: range.line, column: 1, endLine: range.line, endColumn: range.endColumn)))
        }
        return copy
    }

    /// `import module [as alias]`
    func plain(_ module: String, alias: String? = nil, kind: ImportKind = .runtime) -> FactsBuilder {
        var copy = self
        let range = copy.nextRange(column: 8, width: module.count)
        copy.facts.imports.append(
            ImportFact(
                form: .plain, module: module, writtenModule: module, level: 0, name: nil, alias: alias, kind: kind, range: range,
                statementRange: range))
        return copy
    }

    func classes(_ names: String...) -> FactsBuilder {
        var copy = self
        for name in names {
            let range = copy.nextRange(width: 6 + name.count)
            copy.facts.classes.append(
                ClassFact(name: name, qualifiedName: name, bases: [], keywords: [], decorators: [], range: range, bodyRange: range, isTopLevel: true))
        }
        return copy
    }

    func assign(_ name: String, _ value: ValueKind) -> FactsBuilder {
        var copy = self
        let range = copy.nextRange(width: name.count)
        copy.facts.assignments.append(AssignmentFact(name: name, value: value, range: range, statementRange: range))
        return copy
    }

    func all(_ names: String...) -> FactsBuilder {
        var copy = self
        copy.facts.dunderAll = names
        return copy
    }

    func getattr(warns: Bool = false) -> FactsBuilder {
        var copy = self
        copy.facts.moduleGetattr = ModuleGetattrFact(range: copy.nextRange(width: 3), warnsDeprecation: warns)
        return copy
    }

    func warnsOnImport(_ message: String = "deprecated") -> FactsBuilder {
        var copy = self
        copy.facts.deprecations.append(DeprecationFact(category: "DeprecationWarning", message: message, range: copy.nextRange(width: 13)))
        return copy
    }

    func use(_ base: String, _ path: String...) -> FactsBuilder {
        var copy = self
        copy.facts.attributeUses.append(AttributeUseFact(base: base, path: path, range: copy.nextRange(width: base.count)))
        return copy
    }
}
