import CanonCore
import Foundation

/// Hand-built facts for detector tests: each helper fills in what a test does not care about.
enum Facts {
    /// A range on one line, `length` code points long.
    static func at(_ line: Int, _ column: Int = 1, length: Int = 1) -> SourceRange {
        SourceRange(line: line, column: column, endLine: line, endColumn: column + length)
    }

    /// A Python file whose module name follows from its path (`pkg/mod.py` is `pkg.mod`).
    static func file(_ path: String, _ build: (inout FileFacts) -> Void = { _ in }) -> FileFacts {
        let isPackage = path.hasSuffix("__init__.py")
        var module = path.replacingOccurrences(of: "/", with: ".")
        module = String(module.dropLast(3))
        if isPackage { module = String(module.dropLast(".__init__".count)) }
        var facts = FileFacts(path: path, module: module, isPackage: isPackage, language: .python)
        build(&facts)
        return facts
    }

    static func function(
        _ qualifiedName: String, line: Int, className: String? = nil, decorators: [String] = [], parameters: [String] = [],
        globals: [String] = [], assigned: [(String, Int)] = [], returns: [String] = []
    ) -> FunctionFact {
        let name = String(qualifiedName.split(separator: ".").last ?? "")
        return FunctionFact(
            name: name, qualifiedName: qualifiedName, className: className, decorators: decorators, parameters: parameters,
            isAsync: false, isTopLevel: !qualifiedName.contains("."), range: at(line, 1, length: 4 + name.count),
            bodyRange: at(line, 1, length: 4 + name.count), globals: globals.map { NameSite(name: $0, range: at(line + 1, 5)) },
            assignedNames: assigned.map { NameSite(name: $0.0, range: at($0.1, 5, length: $0.0.count)) }, returns: returns)
    }

    /// A module-level assignment; its value text is `None` for an immutable literal, `{}` for a mutable one,
    /// unless given.
    static func assignment(_ name: String, _ value: ValueKind, line: Int, annotation: String? = nil, text: String? = nil) -> AssignmentFact {
        let valueText: String
        switch value {
        case .call(let callee): valueText = text ?? "\(callee)()"
        case .alias(let target): valueText = text ?? target
        case .mutableLiteral: valueText = text ?? "{}"
        case .immutableLiteral: valueText = text ?? "None"
        case .other: valueText = text ?? "f(x).y"
        }
        return AssignmentFact(
            name: name, value: value, range: at(line, 1, length: name.count), statementRange: at(line, 1, length: name.count + 4),
            isAnnotated: annotation != nil, annotation: annotation, valueText: valueText)
    }

    static func `class`(
        _ qualifiedName: String, line: Int, bases: [String] = [], keywords: [String] = [], decorators: [String] = []
    ) -> ClassFact {
        let name = String(qualifiedName.split(separator: ".").last ?? "")
        return ClassFact(
            name: name, qualifiedName: qualifiedName, bases: bases, keywords: keywords, decorators: decorators,
            range: at(line, 1, length: 6 + name.count), bodyRange: at(line, 1, length: 6 + name.count),
            isTopLevel: !qualifiedName.contains("."))
    }

    static func fromImport(_ module: String, _ name: String, as alias: String? = nil, line: Int) -> ImportFact {
        ImportFact(
            form: .from, module: module, writtenModule: module, level: 0, name: name, alias: alias, kind: .runtime,
            range: at(line, 6 + module.count + 8, length: name.count), statementRange: at(line, 1, length: 20))
    }

    static func plainImport(_ module: String, as alias: String? = nil, line: Int) -> ImportFact {
        ImportFact(
            form: .plain, module: module, writtenModule: module, level: 0, name: nil, alias: alias, kind: .runtime,
            range: at(line, 8, length: module.count), statementRange: at(line, 1, length: 8 + module.count))
    }

    static func attribute(_ className: String, _ name: String, _ value: ValueKind, _ text: String, line: Int, annotation: String? = nil)
        -> ClassAttributeFact
    {
        ClassAttributeFact(
            className: className, name: name, value: value, valueText: text, annotation: annotation, range: at(line, 5, length: name.count))
    }

    static func member(_ className: String, _ method: String, _ receiver: String, _ attribute: String, _ kind: MutationKind, line: Int)
        -> MemberMutationFact
    {
        MemberMutationFact(
            className: className, method: method, receiver: receiver, attribute: attribute, kind: kind,
            range: at(line, 9, length: receiver.count + 1 + attribute.count))
    }

    static func mutation(_ name: String, _ kind: MutationKind, in function: String?, line: Int) -> MutationFact {
        MutationFact(name: name, kind: kind, function: function, range: at(line, 5, length: name.count))
    }
}

extension Detector {
    /// Runs the detector over hand-built files, sorted by location.
    static func violations(_ files: [FileFacts], options: Options = Options(), settings: ProjectSettings = ProjectSettings()) -> [Violation] {
        Self(options: options).detect(in: DetectionContext(index: ProjectIndex(files: files), settings: settings))
            .sorted { $0.location < $1.location }
    }
}
