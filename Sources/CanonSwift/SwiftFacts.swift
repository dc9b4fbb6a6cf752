import CanonCore
@_spi(ExperimentalLanguageFeatures) import SwiftParser
import SwiftSyntax

/// Turns one Swift file into `FileFacts`: imports, type declarations, file-scope and static stored
/// properties, `@available(..., deprecated...)` declarations and `// canon: ignore[...]` comments.
enum SwiftFacts {
    /// The facts of `source`, a Swift file at `path` in `module`; a file the parser recovers from is an error.
    static func facts(source: [UInt8], path: String, module: String) throws(SourceError) -> FileFacts {
        try SwiftNesting.check(source)
        let tree = parse(source)
        let positions = SyntaxRanges(source)
        if tree.hasError, let error = FirstError.find(in: tree, positions: positions) { throw error }
        let collector = Collector(positions: positions)
        collector.walk(tree)
        var facts = FileFacts(path: path, module: module, isPackage: false, language: .swift)
        facts.imports = collector.imports
        facts.classes = collector.classes
        facts.assignments = collector.assignments
        facts.classAttributes = collector.classAttributes
        facts.deprecatedDeclarations = collector.deprecated
        facts.suppressions = suppressions(in: tree, positions: positions)
        return facts
    }

    /// Language features the compiler accepts behind flags that packages turn on (`borrow`/`mutate` and
    /// `read`/`modify` accessors, `~Escapable`, `using @MainActor`): the parser reads them so such files give
    /// facts. Features that change how ordinary code parses (`then` statements, `do` expressions) stay off.
    static let features: Parser.ExperimentalFeatures = [
        .borrowAndMutateAccessors, .coroutineAccessors, .nonescapableTypes, .trailingComma, .keypathWithMethodMembers,
        .defaultIsolationPerFile,
    ]

    /// The parser's release-build nesting limit, also in debug builds (whose default, 20, rejects ordinary
    /// code); recursion this deep fits the 8 MiB stacks of the engine's worker threads. It does not bound every
    /// recursion of the parser or of a visitor; `SwiftNesting` does, before the parse.
    static let maximumNestingLevel = 256

    static func parse(_ source: [UInt8]) -> SourceFileSyntax {
        source.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer, maximumNestingLevel: maximumNestingLevel, experimentalFeatures: features)
            return SourceFileSyntax.parse(from: &parser)
        }
    }

    /// Every `// canon: ...` and `/* canon: ... */` comment.
    static func suppressions(in tree: SourceFileSyntax, positions: SyntaxRanges) -> [SuppressionFact] {
        var found: [SuppressionFact] = []
        func scan(_ trivia: Trivia, from start: Int) {
            var offset = start
            for piece in trivia {
                let length = piece.sourceLength.utf8Length
                let body: Substring?
                switch piece {
                case .lineComment(let text): body = text.dropFirst(2)
                case .blockComment(let text): body = text.dropFirst(2).dropLast(2)
                default: body = nil
                }
                if let body, let fact = SuppressionFact.parse(comment: body, range: positions.range(from: offset, to: offset + length)) {
                    found.append(fact)
                }
                offset += length
            }
        }
        for token in tree.tokens(viewMode: .sourceAccurate) {
            scan(token.leadingTrivia, from: token.position.utf8Offset)
            scan(token.trailingTrivia, from: token.endPositionBeforeTrailingTrivia.utf8Offset)
        }
        return found
    }
}

/// The first place the parser had to recover, as a `SourceError`.
private final class FirstError: SyntaxVisitor {
    private var offset = Int.max
    private var message = ""

    static func find(in tree: SourceFileSyntax, positions: SyntaxRanges) -> SourceError? {
        let finder = FirstError(viewMode: .all)
        finder.walk(tree)
        guard finder.offset != Int.max else { return nil }
        let (line, column) = positions.position(finder.offset)
        return SourceError(line: line, column: column, message: finder.message + "; fix the syntax for Canon to read this file")
    }

    private func note(_ node: some SyntaxProtocol, _ offset: Int, _ message: String) {
        // A branch of `#if` may hold code for other compilers (`#if swift(<5)`); swiftc does not reject it.
        var current = node.parent
        while let parent = current {
            if parent.is(IfConfigClauseSyntax.self) { return }
            current = parent.parent
        }
        if offset < self.offset {
            self.offset = offset
            self.message = message
        }
    }

    override func visit(_ node: UnexpectedNodesSyntax) -> SyntaxVisitorContinueKind {
        let text = folded(node.trimmedDescription)
        note(node, node.positionAfterSkippingLeadingTrivia.utf8Offset, "unexpected code '\(text.count > 40 ? text.prefix(40) + "..." : Substring(text))'")
        return .skipChildren
    }

    override func visit(_ token: TokenSyntax) -> SyntaxVisitorContinueKind {
        if token.presence == .missing {
            let what = token.text.isEmpty ? "\(token.tokenKind)".split(separator: "(").first.map(String.init) ?? "a token" : "'\(token.text)'"
            note(token, token.positionAfterSkippingLeadingTrivia.utf8Offset, "expected \(what)")
        }
        return .skipChildren
    }
}

/// Walks one file's tree and collects its facts.
private final class Collector: SyntaxVisitor {
    let positions: SyntaxRanges
    var imports: [ImportFact] = []
    var classes: [ClassFact] = []
    var assignments: [AssignmentFact] = []
    var classAttributes: [ClassAttributeFact] = []
    var deprecated: [DeprecatedDeclarationFact] = []

    init(positions: SyntaxRanges) {
        self.positions = positions
        super.init(viewMode: .sourceAccurate)
    }

    // MARK: Imports

    override func visit(_ node: ImportDeclSyntax) -> SyntaxVisitorContinueKind {
        let components = node.path.map { plain($0.name) }
        guard let first = node.path.first, let last = node.path.last else { return .skipChildren }
        let attributes = node.attributes.compactMap { $0.as(AttributeSyntax.self)?.attributeName.trimmedDescription }
        let isSymbol = node.importKindSpecifier != nil && components.count > 1
        let module = isSymbol ? components.dropLast().joined(separator: ".") : components.joined(separator: ".")
        let start: any SyntaxProtocol = node.modifiers.first ?? node.importKeyword
        imports.append(
            ImportFact(
                form: isSymbol ? .from : .plain, module: module, writtenModule: module, level: 0,
                name: isSymbol ? components.last : nil, alias: nil,
                kind: isUnderCanImport(node) ? .fallback : .runtime,
                range: positions.range(from: first, to: last),
                statementRange: positions.range(from: Syntax(start), to: node.path),
                attributes: attributes))
        return .skipChildren
    }

    private func isUnderCanImport(_ node: some SyntaxProtocol) -> Bool {
        var current = node.parent
        while let parent = current {
            if let clause = parent.as(IfConfigClauseSyntax.self), let condition = clause.condition,
                condition.tokens(viewMode: .sourceAccurate).contains(where: { $0.text == "canImport" })
            {
                return true
            }
            current = parent.parent
        }
        return false
    }

    // MARK: Types

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind { record(node, .class) }
    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind { record(node, .struct) }
    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind { record(node, .enum) }
    override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind { record(node, .protocol) }
    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind { record(node, .actor) }

    override func visit(_ node: TypeAliasDeclSyntax) -> SyntaxVisitorContinueKind {
        let qualified = qualifiedName(plain(node.name), of: node)
        let start: any SyntaxProtocol = node.modifiers.first ?? node.typealiasKeyword
        let range = positions.range(from: Syntax(start), to: node.name)
        classes.append(
            ClassFact(
                name: plain(node.name), qualifiedName: qualified, bases: [folded(node.initializer.value.trimmedDescription)],
                keywords: [], decorators: decorators(node.attributes), range: range,
                bodyRange: positions.range(from: Syntax(start), to: node), isTopLevel: context(of: node) == .file,
                kind: .typealias))
        noteDeprecation(node.attributes, symbol: qualified, range: range)
        return .visitChildren
    }

    private func record(_ node: some DeclGroupSyntax & NamedDeclSyntax, _ kind: TypeKind) -> SyntaxVisitorContinueKind {
        let qualified = qualifiedName(plain(node.name), of: node)
        let start: any SyntaxProtocol = node.modifiers.first ?? node.introducer
        let range = positions.range(from: Syntax(start), to: node.name)
        classes.append(
            ClassFact(
                name: plain(node.name), qualifiedName: qualified,
                bases: node.inheritanceClause?.inheritedTypes.map { folded($0.type.trimmedDescription) } ?? [],
                keywords: [], decorators: decorators(node.attributes), range: range,
                bodyRange: positions.range(from: Syntax(start), to: node), isTopLevel: context(of: node) == .file,
                kind: kind))
        noteDeprecation(node.attributes, symbol: qualified, range: range)
        return .visitChildren
    }

    // MARK: Functions (only their deprecation; their bodies are local scope)

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        let start: any SyntaxProtocol = node.modifiers.first ?? node.funcKeyword
        noteDeprecation(
            node.attributes, symbol: qualifiedName(plain(node.name), of: node),
            range: positions.range(from: Syntax(start), to: node.name))
        return .visitChildren
    }

    override func visit(_ node: InitializerDeclSyntax) -> SyntaxVisitorContinueKind {
        let start: any SyntaxProtocol = node.modifiers.first ?? node.initKeyword
        noteDeprecation(
            node.attributes, symbol: qualifiedName("init", of: node),
            range: positions.range(from: Syntax(start), to: node.initKeyword))
        return .visitChildren
    }

    // MARK: Stored properties

    override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
        let where_ = context(of: node)
        let isStatic = node.modifiers.contains { $0.name.text == "static" || $0.name.text == "class" }
        let isConstant = node.bindingSpecifier.text == "let"
        let start: any SyntaxProtocol = node.modifiers.first ?? node.bindingSpecifier
        for binding in node.bindings {
            guard let identifier = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
            let name = plain(identifier.identifier)
            let range = positions.range(from: Syntax(start), to: binding)
            noteDeprecation(node.attributes, symbol: qualifiedName(name, of: node), range: positions.range(from: Syntax(start), to: identifier))
            // A `@TaskLocal` holds one value per task, not state every caller shares.
            guard isStored(binding), !decorators(node.attributes).contains("TaskLocal") else { continue }
            let value = binding.initializer.map { valueKind($0.value, isConstant: isConstant) } ?? .other
            let annotation = binding.typeAnnotation.map { folded($0.type.trimmedDescription) }
            switch where_ {
            case .file:
                assignments.append(
                    AssignmentFact(
                        name: name, value: value, range: positions.range(of: identifier.identifier),
                        statementRange: range, isAnnotated: annotation != nil, annotation: annotation,
                        isConstant: isConstant))
            case .member(let owner) where isStatic:
                classAttributes.append(
                    ClassAttributeFact(
                        className: owner, name: name, value: value,
                        valueText: binding.initializer.map { ValueText.capped(folded($0.value.trimmedDescription)) } ?? "",
                        annotation: annotation, range: range, isConstant: isConstant))
            default:
                break
            }
        }
        return .visitChildren
    }

    /// Whether a binding stores a value: no accessors, or only observers.
    private func isStored(_ binding: PatternBindingSyntax) -> Bool {
        guard let block = binding.accessorBlock else { return true }
        switch block.accessors {
        case .getter: return false
        case .accessors(let accessors):
            return accessors.allSatisfy { ["willSet", "didSet"].contains($0.accessorSpecifier.text) }
        }
    }

    private func valueKind(_ expression: ExprSyntax, isConstant: Bool) -> ValueKind {
        if let call = expression.as(FunctionCallExprSyntax.self), var name = dottedName(call.calledExpression) {
            if name.hasSuffix(".init") { name.removeLast(".init".count) }
            return .call(name)
        }
        if let name = dottedName(expression) { return .alias(name) }
        // `[]`, `[:]`, and `[T]()` / `[K: V]()`, where the collection type is spelled as a literal.
        let collection = expression.as(FunctionCallExprSyntax.self)?.calledExpression ?? expression
        if collection.is(ArrayExprSyntax.self) || collection.is(DictionaryExprSyntax.self) {
            return isConstant ? .immutableLiteral : .mutableLiteral
        }
        if isLiteral(expression) { return .immutableLiteral }
        return .other
    }

    private func isLiteral(_ expression: ExprSyntax) -> Bool {
        if expression.is(IntegerLiteralExprSyntax.self) || expression.is(FloatLiteralExprSyntax.self)
            || expression.is(StringLiteralExprSyntax.self) || expression.is(BooleanLiteralExprSyntax.self)
            || expression.is(NilLiteralExprSyntax.self)
        {
            return true
        }
        if let prefix = expression.as(PrefixOperatorExprSyntax.self) { return isLiteral(prefix.expression) }
        if let tuple = expression.as(TupleExprSyntax.self) { return tuple.elements.allSatisfy { isLiteral($0.expression) } }
        return false
    }

    /// `A`, `A.B.C`, `A<T>`: a name or a chain of member names; nil for anything else.
    private func dottedName(_ expression: ExprSyntax) -> String? {
        var members: [String] = []
        var current = expression
        while true {
            if let reference = current.as(DeclReferenceExprSyntax.self), reference.argumentNames == nil {
                return ([reference.baseName.text] + members.reversed()).joined(separator: ".")
            }
            if let member = current.as(MemberAccessExprSyntax.self), let base = member.base {
                members.append(member.declName.baseName.text)
                current = base
            } else if let generic = current.as(GenericSpecializationExprSyntax.self) {
                current = generic.expression
            } else {
                return nil
            }
        }
    }

    // MARK: Deprecation

    private func noteDeprecation(_ attributes: AttributeListSyntax, symbol: String, range: CanonCore.SourceRange) {
        for case let attribute? in attributes.map({ $0.as(AttributeSyntax.self) }) where attribute.attributeName.trimmedDescription == "available" {
            let tokens = Array(attribute.tokens(viewMode: .sourceAccurate))
            guard tokens.contains(where: { $0.text == "deprecated" }) else { continue }
            deprecated.append(
                DeprecatedDeclarationFact(
                    symbol: symbol, message: labeledString("message", in: tokens), renamed: labeledString("renamed", in: tokens),
                    range: range))
            return
        }
    }

    /// The text of the string literal after `label:` in an attribute's tokens.
    private func labeledString(_ label: String, in tokens: [TokenSyntax]) -> String? {
        guard let index = tokens.indices.first(where: { tokens[$0].text == label && $0 + 1 < tokens.count && tokens[$0 + 1].text == ":" })
        else { return nil }
        var text = ""
        var quotes = 0
        for token in tokens[(index + 2)...] {
            switch token.tokenKind {
            case .stringQuote, .multilineStringQuote, .rawStringPoundDelimiter:
                quotes += 1
                if quotes == 2 { return text }
            case .stringSegment(let segment):
                text += segment
            default:
                if quotes == 0 { return nil }
            }
        }
        return nil
    }

    // MARK: Scope

    enum Context: Equatable {
        /// At file scope, perhaps inside `#if`.
        case file
        /// Directly in the body of a type or extension, given by its qualified name.
        case member(String)
        /// Inside a function, closure, accessor or statement.
        case local
    }

    /// Where a declaration sits, looking through `#if` and the lists that hold declarations.
    private func context(of node: some SyntaxProtocol) -> Context {
        var current = node.parent
        while let parent = current {
            switch parent.kind {
            case .codeBlockItem, .codeBlockItemList, .memberBlockItem, .memberBlockItemList, .memberBlock,
                .ifConfigClause, .ifConfigClauseList, .ifConfigDecl:
                current = parent.parent
            case .sourceFile:
                return .file
            default:
                if let name = typeName(parent) { return .member(qualifiedName(name, of: parent)) }
                return .local
            }
        }
        return .local
    }

    /// The name a type declaration or extension gives its members' qualified names.
    private func typeName(_ node: Syntax) -> String? {
        if let group = node.asProtocol(DeclGroupSyntax.self) {
            if let named = group.asProtocol(NamedDeclSyntax.self) { return plain(named.name) }
            if let extensionDecl = group.as(ExtensionDeclSyntax.self) { return folded(extensionDecl.extendedType.trimmedDescription) }
        }
        return nil
    }

    /// `name` qualified by the types, extensions and functions around `node`: `Outer.Inner`, `f.<locals>.T`,
    /// `<locals>.T` for a type in a top-level statement such as `if #available(...) { ... }`.
    private func qualifiedName(_ name: String, of node: some SyntaxProtocol) -> String {
        var parts = [name]
        var current = node.parent
        while let parent = current {
            if let type = typeName(parent) {
                // An extension names its type in full, at file scope.
                if parent.is(ExtensionDeclSyntax.self) { return ([type] + parts.reversed()).joined(separator: ".") }
                return ([qualifiedName(type, of: parent)] + parts.reversed()).joined(separator: ".")
            } else if let function = parent.as(FunctionDeclSyntax.self) {
                parts.append(plain(function.name) + ".<locals>")
            } else if parent.is(InitializerDeclSyntax.self) {
                parts.append("init.<locals>")
            } else if parent.is(DeinitializerDeclSyntax.self) {
                parts.append("deinit.<locals>")
            } else if parent.is(ClosureExprSyntax.self) {
                parts.append("<closure>.<locals>")
            } else if parent.is(AccessorBlockSyntax.self) {
                let variable = parent.parent?.as(PatternBindingSyntax.self)?.pattern.trimmedDescription
                parts.append((variable ?? "subscript") + ".<locals>")
            }
            current = parent.parent
        }
        let joined = parts.reversed().joined(separator: ".")
        return joined.contains("<locals>") || context(of: node) != .local ? joined : "<locals>." + joined
    }

    private func decorators(_ attributes: AttributeListSyntax) -> [String] {
        attributes.compactMap { $0.as(AttributeSyntax.self) }.map { folded(String($0.trimmedDescription.dropFirst())) }
    }
}

/// An identifier's name without the backticks that escape a keyword (`` `Type` `` is `Type`).
func plain(_ token: TokenSyntax) -> String {
    let text = token.text
    return text.count > 1 && text.hasPrefix("`") && text.hasSuffix("`") ? String(text.dropFirst().dropLast()) : text
}

/// Source text with every run of white space folded to one space.
func folded(_ text: String) -> String {
    var out = ""
    var pendingSpace = false
    for character in text {
        if character.isWhitespace {
            pendingSpace = !out.isEmpty
        } else {
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(character)
        }
    }
    return out
}
