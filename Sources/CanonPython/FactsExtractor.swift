import CanonCore

/// The lexical context of a block: what kind of body it is and what an import or definition in it means.
///
/// Plain values only: a scope is copied for every statement, and its names (which a copy would retain and
/// release) are kept apart, in `FactsExtractor.scopeNames`.
private struct Scope {
    enum Kind { case module, classBody, functionBody }
    var kind: Kind
    /// Where the names of the class or function whose body this is are in `FactsExtractor.scopeNames`.
    var names: Int
    var inFunction: Bool
    var typeChecking: Bool
    var fallback: Bool
    /// The innermost enclosing function, as an index into `FileFacts.functions`, or -1.
    var function: Int
    /// Not inside any `def` or `class`.
    var moduleLevel: Bool
}

/// The names of the class or function whose body a scope is.
private struct ScopeNames {
    /// Its `__qualname__` (empty at module level): definitions in it are `C.name` or `f.<locals>.name`; for a
    /// class body (through `if`/`try`/... blocks in it), the class's qualified name.
    var owner: String
    /// The first parameter of the method whose own body this is (`self`, `cls`).
    var receiver: String?
}

private let mutatingMethods = NameBytes([
    "append", "extend", "insert", "remove", "update", "add", "discard", "setdefault", "pop", "popitem", "clear",
])

/// The standard library's warning classes that do not mean deprecation. Any other category may be a project's
/// own subclass of `DeprecationWarning` (Django's `RemovedInDjango60Warning`), which only the index can tell,
/// so it is recorded.
private let otherWarningCategories: Set<String> = [
    "Warning", "UserWarning", "SyntaxWarning", "RuntimeWarning", "FutureWarning", "ImportWarning", "UnicodeWarning",
    "BytesWarning", "ResourceWarning", "EncodingWarning",
]

/// Walks the statement tree of a parsed file and fills `FileFacts`.
struct FactsExtractor {
    private let q: TokenQueries
    private let tree: StatementTree
    private let module: String
    private let isPackage: Bool
    private var facts: FileFacts
    /// The facts' details, built apart and handed over at the end: read in place here, where through
    /// `FileFacts`' computed properties each read copied a whole function.
    private var details = FileFacts.Details()
    private var scopes: [Scope] = []
    private var scopeNames: [ScopeNames] = [ScopeNames(owner: "", receiver: nil)]
    /// Per statement: the scope its body opens (compound statements only), and the scope it sits in.
    private var bodyScope: [Int]
    private var ownScope: [Int]
    /// Per `if`/`elif`: 1 for `TYPE_CHECKING`, 2 for `not TYPE_CHECKING`, 0 otherwise.
    private var typeCheckingTest: [UInt8]
    private var importBases = NameBytes()
    private var warningsModules: Set<String> = ["warnings"]
    private var warnFunctions: Set<String> = []
    private var topLevelFunctions: [HashedName: Int] = [:]
    private var functionWarns: [Int: [DeprecationFact]] = [:]
    private var moduleCalls: [String] = []
    private var calledAtModuleLevel: Set<String> = []
    private var getattrFunction = -1

    private var tokens: [Token] { q.tokens }

    private init(_ parsed: ParsedFile, module: String, isPackage: Bool, facts: FileFacts) {
        q = TokenQueries(source: parsed.source, tokens: parsed.tokens)
        tree = parsed.tree
        self.module = module
        self.isPackage = isPackage
        self.facts = facts
        let count = parsed.tree.statements.count
        bodyScope = Array(repeating: 0, count: count)
        ownScope = Array(repeating: 0, count: count)
        typeCheckingTest = Array(repeating: 0, count: count)
    }

    static func extract(_ parsed: ParsedFile, module: String, isPackage: Bool, into facts: inout FileFacts) {
        var extractor = FactsExtractor(parsed, module: module, isPackage: isPackage, facts: facts)
        extractor.run(comments: parsed.comments)
        extractor.facts.allDetails = extractor.details
        facts = extractor.facts
    }

    private mutating func run(comments: [(start: Int, end: Int)]) {
        scopes.append(
            Scope(kind: .module, names: 0, inFunction: false, typeChecking: false, fallback: false, function: -1, moduleLevel: true))
        let statements = tree.statements
        for index in statements.indices {
            let statement = statements[index]
            let scope = statement.parent < 0 ? 0 : bodyScope[statement.parent]
            ownScope[index] = scope
            bodyScope[index] = scope
            switch statement.kind {
            case .simple: simpleStatement(statement, scopes[scope])
            case .functionDef: functionDef(index, statement, scope)
            case .classDef: classDef(index, statement, scope)
            default: compoundHeader(index, statement, scope)
            }
        }
        for index in statements.indices {
            let statement = statements[index]
            let first = tokens[statement.first]
            if statement.kind == .simple && (first.keyword == .import || first.keyword == .from) { continue }
            let scope = scopes[ownScope[index]]
            scanExpressions(statement.first, statement.headerEnd, scope)
            for decorator in tree.decorators[statement.decorators] {
                scanExpressions(decorator.lowerBound, decorator.upperBound, scope)
            }
        }
        finishDeprecations()
        for comment in comments {
            if let suppression = Suppressions.parse(comment, source: q.source) { facts.suppressions.append(suppression) }
        }
    }

    /// The `__qualname__` of `name` defined in `scope`'s body, made in one allocation.
    private func qualified(_ name: String, in scope: Scope) -> String {
        switch scope.kind {
        case .module: name
        case .classBody: DottedName.join(scopeNames[scope.names].owner, name)
        case .functionBody: DottedName.concatenate(scopeNames[scope.names].owner, ".<locals>.", name)
        }
    }

    /// The qualified name of the class whose body `scope` is (through `if`/`try`/... blocks in it).
    private func className(of scope: Scope) -> String? {
        scope.kind == .classBody ? scopeNames[scope.names].owner : nil
    }

    // MARK: - Compound statements

    private mutating func compoundHeader(_ index: Int, _ statement: Statement, _ scope: Int) {
        var inner = scopes[scope]
        var changed = false
        let s = statement.first
        let colon = statement.headerEnd
        switch statement.kind {
        case .ifStatement, .elifClause:
            let test = typeCheckingKind(s + 1, colon)
            typeCheckingTest[index] = test
            if test == 1 {
                inner.typeChecking = true
                changed = true
            }
        case .elseClause:
            let previous = statement.previousClause
            if previous >= 0 && typeCheckingTest[previous] == 2 {
                inner.typeChecking = true
                changed = true
            }
        case .tryStatement:
            if statement.catchesImportError {
                inner.fallback = true
                changed = true
            }
        case .exceptClause:
            var head = statement.previousClause
            while head >= 0 && tree.statements[head].kind != .tryStatement { head = tree.statements[head].previousClause }
            if head >= 0 && tree.statements[head].catchesImportError {
                inner.fallback = true
                changed = true
            }
        case .forStatement:
            if inner.function >= 0 {
                let forToken = tokens[s].keyword == .async ? s + 1 : s
                var end = forToken + 1
                var depth = 0
                while end < colon {
                    let t = tokens[end]
                    if t.op.isOpening { depth += 1 } else if t.op.isClosing { depth -= 1 }
                    if depth == 0 && t.keyword == .in { break }
                    end += 1
                }
                recordAssignedNames(q.targetNames(forToken + 1, end), function: inner.function)
            }
        case .withStatement:
            if inner.function >= 0 { withTargets(s, colon, function: inner.function) }
        default:
            break
        }
        if changed {
            bodyScope[index] = scopes.count
            scopes.append(inner)
        }
    }

    /// 1 for `TYPE_CHECKING` / `name.TYPE_CHECKING`, 2 for their negation, 0 for any other test.
    private func typeCheckingKind(_ a: Int, _ b: Int) -> UInt8 {
        var a = a
        var negated = false
        if a < b && tokens[a].keyword == .not {
            negated = true
            a += 1
        }
        let isTest =
            (b - a == 1 && q.is(a, "TYPE_CHECKING"))
            || (b - a == 3 && tokens[a].isIdentifier && tokens[a + 1].op == .dot && q.is(a + 2, "TYPE_CHECKING"))
        return isTest ? (negated ? 2 : 1) : 0
    }

    private mutating func withTargets(_ s: Int, _ colon: Int, function: Int) {
        var k = s
        while k < colon {
            if tokens[k].keyword == .as {
                var end = k + 1
                var depth = 0
                while end < colon {
                    let op = tokens[end].op
                    if op.isOpening {
                        depth += 1
                    } else if op.isClosing {
                        if depth == 0 { break }
                        depth -= 1
                    } else if depth == 0 && op == .comma {
                        break
                    }
                    end += 1
                }
                recordAssignedNames(q.targetNames(k + 1, end), function: function)
                k = end
            }
            k += 1
        }
    }

    private mutating func recordAssignedNames(_ names: [Int], function: Int) {
        for k in names {
            details.functions[function].assignedNames.append(NameSite(name: q.text(k), range: q.range(k, k)))
        }
    }

    private func decoratorTexts(_ statement: Statement) -> [String] {
        tree.decorators[statement.decorators].map { q.folded($0.lowerBound, $0.upperBound) }
    }

    private mutating func functionDef(_ index: Int, _ statement: Statement, _ scopeIndex: Int) {
        let scope = scopes[scopeIndex]
        let s = statement.first
        let isAsync = tokens[s].keyword == .async
        let nameIndex = s + (isAsync ? 2 : 1)
        let name = q.text(nameIndex)
        var k = nameIndex + 1
        if tokens[k].op == .lsqb { k = q.matching(k) + 1 }
        var parameters: [String] = []
        if tokens[k].op == .lpar {
            let split = q.splitCommas(k + 1, q.matching(k))
            parameters.reserveCapacity(split.count)
            for parameter in split {
                var a = parameter.lowerBound
                if tokens[a].op == .star || tokens[a].op == .doubleStar { a += 1 }
                if a < parameter.upperBound && tokens[a].isIdentifier { parameters.append(q.text(a)) }
            }
        }
        let decorators = decoratorTexts(statement)
        let qualifiedName = qualified(name, in: scope)
        let className = className(of: scope)
        let range = q.range(nameIndex - 1, nameIndex)
        let functionIndex = details.functions.count
        // Made in place: a fact kept in a local as well would be copied into the list, then destroyed.
        details.functions.append(
            FunctionFact(
                name: name, qualifiedName: qualifiedName, className: className, decorators: decorators,
                parameters: parameters, isAsync: isAsync, isTopLevel: scope.moduleLevel, range: range,
                bodyRange: q.range(s, statement.last)))
        if scope.moduleLevel {
            topLevelFunctions[HashedName(name)] = functionIndex
            if name == "__getattr__" {
                getattrFunction = functionIndex
                facts.moduleGetattr = ModuleGetattrFact(range: range, warnsDeprecation: false)
            }
        }
        let isStatic = decorators.contains { $0 == "staticmethod" || $0.hasSuffix(".staticmethod") }
        let receiver = className != nil && !isStatic ? parameters.first : nil
        bodyScope[index] = scopes.count
        scopeNames.append(ScopeNames(owner: qualifiedName, receiver: receiver))
        scopes.append(
            Scope(
                kind: .functionBody, names: scopeNames.count - 1, inFunction: true, typeChecking: scope.typeChecking,
                fallback: scope.fallback, function: functionIndex, moduleLevel: false))
    }

    private mutating func classDef(_ index: Int, _ statement: Statement, _ scopeIndex: Int) {
        let scope = scopes[scopeIndex]
        let s = statement.first
        let name = q.text(s + 1)
        var k = s + 2
        if tokens[k].op == .lsqb { k = q.matching(k) + 1 }
        var bases: [String] = []
        var keywords: [String] = []
        if tokens[k].op == .lpar {
            for argument in q.splitCommas(k + 1, q.matching(k)) {
                let a = argument.lowerBound
                if tokens[a].isIdentifier && tokens[a + 1].op == .equal {
                    keywords.append(q.text(a) + "=" + q.folded(a + 2, argument.upperBound))
                } else if tokens[a].op == .doubleStar {
                    keywords.append(q.folded(a, argument.upperBound))
                } else {
                    bases.append(q.folded(a, argument.upperBound))
                }
            }
        }
        let qualifiedName = qualified(name, in: scope)
        facts.classes.append(
            ClassFact(
                name: name, qualifiedName: qualifiedName, bases: bases, keywords: keywords,
                decorators: decoratorTexts(statement), range: q.range(s, s + 1),
                bodyRange: q.range(s, statement.last), isTopLevel: scope.moduleLevel))
        bodyScope[index] = scopes.count
        scopeNames.append(ScopeNames(owner: qualifiedName, receiver: nil))
        scopes.append(
            Scope(
                kind: .classBody, names: scopeNames.count - 1, inFunction: scope.inFunction, typeChecking: scope.typeChecking,
                fallback: scope.fallback, function: scope.function, moduleLevel: false))
    }

    // MARK: - Simple statements

    private func importKind(_ scope: Scope) -> ImportKind {
        if scope.inFunction { return .function }
        if scope.typeChecking { return .typeChecking }
        if scope.fallback { return .fallback }
        return .runtime
    }

    private mutating func simpleStatement(_ statement: Statement, _ scope: Scope) {
        let s = statement.first
        let e = statement.headerEnd
        switch tokens[s].keyword {
        case .import:
            plainImport(s, e, scope)
        case .from:
            fromImport(s, e, scope)
        case .global:
            guard scope.function >= 0 else { return }
            let range = q.range(s, e - 1)
            for k in (s + 1)..<e where tokens[k].isIdentifier {
                details.functions[scope.function].globals.append(NameSite(name: q.text(k), range: range))
            }
        case .return:
            guard scope.function >= 0 else { return }
            details.functions[scope.function].returns.append(q.folded(s + 1, e))
        case .del:
            guard scope.function >= 0 else { return }
            for target in q.splitCommas(s + 1, e) {
                targetMutation(target.lowerBound, target.upperBound, kind: .subscriptDelete, scope: scope)
            }
        case .pass, .break, .continue, .raise, .assert, .nonlocal:
            return
        case .type:
            if tokens[s + 1].isIdentifier && (tokens[s + 2].op == .equal || tokens[s + 2].op == .lsqb) { return }
            assignment(statement, scope)
        default:
            assignment(statement, scope)
        }
    }

    private func resolve(level: Int, written: String) -> String {
        guard level > 0 else { return written }
        // By UTF-8 code unit (a dot is never part of a longer character): the module's first names, up to
        // the package `level - 1` above the one the file is in.
        let utf8 = module.utf8
        let dot = UInt8(ascii: ".")
        let names = module.isEmpty ? 0 : utf8.reduce(1) { $1 == dot ? $0 + 1 : $0 }
        let packages = isPackage || names == 0 ? names : names - 1
        guard packages >= level else { return String(repeating: ".", count: level) + written }
        var kept = packages - level + 1
        var end = utf8.startIndex
        while end < utf8.endIndex {
            if utf8[end] == dot {
                kept -= 1
                if kept == 0 { break }
            }
            end = utf8.index(after: end)
        }
        let base = module[..<end]
        return written.isEmpty ? String(base) : base + "." + written
    }

    private mutating func plainImport(_ s: Int, _ e: Int, _ scope: Scope) {
        let kind = importKind(scope)
        let statementRange = q.range(s, e - 1)
        var k = s + 1
        while k < e {
            let clauseStart = k
            var parts: [String] = []
            var lastName = k - 1
            while k < e && tokens[k].kind == .name {
                lastName = k
                k += 1
                if k < e && tokens[k].op == .dot { k += 1 } else { break }
            }
            let together = q.writtenTogether(clauseStart, lastName + 1)
            if together == nil {
                for j in stride(from: clauseStart, through: lastName, by: 2) { parts.append(q.text(j)) }
            }
            var alias: String?
            if k + 1 < e && tokens[k].keyword == .as {
                alias = q.text(k + 1)
                k += 2
            }
            guard k > clauseStart else { break }
            let name = together ?? parts.joined(separator: ".")
            let fact = ImportFact(
                form: .plain, module: name, writtenModule: name, level: 0, name: nil, alias: alias, kind: kind,
                range: q.range(clauseStart, k - 1), statementRange: statementRange)
            if let bound = fact.boundName {
                importBases.insert(bound)
                if name == "warnings" { warningsModules.insert(bound) }
            }
            facts.imports.append(fact)
            if k < e && tokens[k].op == .comma { k += 1 } else { break }
        }
    }

    private mutating func fromImport(_ s: Int, _ e: Int, _ scope: Scope) {
        let kind = importKind(scope)
        let statementRange = q.range(s, e - 1)
        var k = s + 1
        var level = 0
        while k < e {
            if tokens[k].op == .dot {
                level += 1
            } else if tokens[k].op == .ellipsis {
                level += 3
            } else {
                break
            }
            k += 1
        }
        let nameStart = k
        var lastName = k - 1
        while k < e && tokens[k].kind == .name && tokens[k].keyword != .import {
            lastName = k
            k += 1
            if k < e && tokens[k].op == .dot { k += 1 }
        }
        // The names read are the name tokens of `nameStart...lastName` (the rest are dots).
        let written = q.writtenTogether(nameStart, lastName + 1)
            ?? stride(from: nameStart, through: lastName, by: 1).filter { tokens[$0].kind == .name }.map(q.text).joined(separator: ".")
        let resolved = resolve(level: level, written: written)
        guard k < e && tokens[k].keyword == .import else { return }
        k += 1
        var end = e
        if k < e && tokens[k].op == .lpar {
            k += 1
            end = q.matching(k - 1)
        }
        while k < end {
            let clauseStart = k
            var name: String
            var alias: String?
            if tokens[k].op == .star {
                name = "*"
                k += 1
            } else {
                name = q.text(k)
                k += 1
                if k + 1 < end && tokens[k].keyword == .as {
                    alias = q.text(k + 1)
                    k += 2
                }
            }
            if level == 0 && written == "warnings" && name == "warn" { warnFunctions.insert(alias ?? name) }
            facts.imports.append(
                ImportFact(
                    form: .from, module: resolved, writtenModule: written, level: level, name: name, alias: alias,
                    kind: kind, range: q.range(clauseStart, k - 1), statementRange: statementRange))
            if k < end && tokens[k].op == .comma { k += 1 } else { break }
        }
    }

    private mutating func assignment(_ statement: Statement, _ scope: Scope) {
        let s = statement.first
        let e = statement.headerEnd
        var depth = 0
        var lambdas = 0
        // The first `=` apart, so that the usual statement of one `=` makes no array.
        var firstEqual = -1
        var moreEquals: [Int] = []
        var colon = -1
        var augmented = -1
        for k in s..<e {
            let t = tokens[k]
            if t.op.isOpening {
                depth += 1
            } else if t.op.isClosing {
                depth -= 1
            } else if depth == 0 {
                if t.keyword == .lambda {
                    lambdas += 1
                } else if t.op == .colon {
                    if lambdas > 0 {
                        lambdas -= 1
                    } else if colon < 0 && firstEqual < 0 && augmented < 0 {
                        colon = k
                    }
                } else if t.op == .equal && lambdas == 0 {
                    if firstEqual < 0 { firstEqual = k } else { moreEquals.append(k) }
                } else if t.op == .augAssign && augmented < 0 && firstEqual < 0 {
                    augmented = k
                }
            }
        }
        // The targets are `s..<firstEnd`, then, for `a = b = value`, those between the later `=`s: walked in
        // place, since nearly every assignment has one and a list of it would be made and freed each time.
        let firstEnd: Int
        var chained: [Int] = []
        let value: Range<Int>
        var annotation: String?
        if augmented >= 0 {
            firstEnd = augmented
            value = (augmented + 1)..<e
        } else if colon >= 0 {
            guard firstEqual >= 0 else { return }
            firstEnd = colon
            annotation = q.folded(colon + 1, firstEqual)
            value = (firstEqual + 1)..<e
        } else if firstEqual >= 0 {
            firstEnd = firstEqual
            chained = moreEquals
            value = ((moreEquals.last ?? firstEqual) + 1)..<e
        } else {
            if scope.moduleLevel { dunderAllCall(s, e) }
            return
        }
        // The targets by number, walked by plain loops: a closure taking each one captured the extractor, and
        // its every use of `q` copied it.
        func target(_ offset: Int) -> Range<Int> {
            offset == 0 ? s..<firstEnd : (offset == 1 ? firstEnd + 1 : chained[offset - 2] + 1)..<chained[offset - 1]
        }
        if scope.moduleLevel {
            let statementRange = q.range(s, e - 1)
            let valueText = q.foldedValue(value.lowerBound, value.upperBound)
            for offset in 0...chained.count {
                for (nameIndex, kind) in namesWithKinds(target(offset), value) {
                    let name = q.text(nameIndex)
                    facts.assignments.append(
                        AssignmentFact(
                            name: name, value: kind, range: q.range(nameIndex, nameIndex),
                            statementRange: statementRange, isAnnotated: annotation != nil,
                            isAugmented: augmented >= 0, annotation: annotation, valueText: valueText))
                    if name == "__all__" { dunderAllAssignment(value, augmented: augmented >= 0) }
                }
            }
        } else if let className = className(of: scope) {
            let valueText = q.foldedValue(value.lowerBound, value.upperBound)
            for offset in 0...chained.count {
                for (nameIndex, kind) in namesWithKinds(target(offset), value) {
                    details.classAttributes.append(
                        ClassAttributeFact(
                            className: className, name: q.text(nameIndex), value: kind, valueText: valueText,
                            annotation: annotation, range: q.range(nameIndex, nameIndex)))
                }
            }
        } else if scope.function >= 0 {
            let kind: MutationKind = augmented >= 0 ? .augmentedAssign : .subscriptAssign
            for offset in 0...chained.count {
                let target = target(offset)
                if target.count == 1 && tokens[target.lowerBound].isIdentifier {
                    // `x = ...`, most assignments in functions: the name, and no list of one made for it.
                    let k = target.lowerBound
                    details.functions[scope.function].assignedNames.append(NameSite(name: q.text(k), range: q.range(k, k)))
                    targetMutation(k, k + 1, kind: kind, scope: scope)
                    continue
                }
                recordAssignedNames(q.targetNames(target.lowerBound, target.upperBound), function: scope.function)
                for element in q.splitCommas(target.lowerBound, target.upperBound) {
                    targetMutation(element.lowerBound, element.upperBound, kind: kind, scope: scope)
                }
            }
        }
    }

    /// Each name a target binds, with the kind of value it gets; `a, b = 1, []` pairs elements up.
    private func namesWithKinds(_ target: Range<Int>, _ value: Range<Int>) -> [(Int, ValueKind)] {
        let (a, b) = (target.lowerBound, target.upperBound)
        if b - a == 1 && tokens[a].isIdentifier {
            return [(a, q.valueKind(value.lowerBound, value.upperBound))]
        }
        var elements = q.splitCommas(a, b)
        if elements.count == 1 && q.isWrapped(a, b) && tokens[a].op != .lbrace {
            elements = q.splitCommas(a + 1, b - 1)
        }
        var values = q.splitCommas(value.lowerBound, value.upperBound)
        if values.count == 1 && q.isWrapped(value.lowerBound, value.upperBound)
            && tokens[value.lowerBound].op != .lbrace
        {
            values = q.splitCommas(value.lowerBound + 1, value.upperBound - 1)
        }
        let paired = values.count == elements.count && !elements.contains { tokens[$0.lowerBound].op == .star }
            && !values.contains { tokens[$0.lowerBound].op == .star }
        var result: [(Int, ValueKind)] = []
        for (offset, element) in elements.enumerated() {
            let names = q.targetNames(element.lowerBound, element.upperBound)
            let single = element.upperBound - element.lowerBound == 1 && names.count == 1
            for name in names {
                let kind =
                    paired && single
                    ? q.valueKind(values[offset].lowerBound, values[offset].upperBound) : ValueKind.other
                result.append((name, kind))
            }
        }
        return result
    }

    /// Records `X[k] = v`, `del X[k]`, `self.x = v`, `self.x[k] += v` and the like for one target element.
    private mutating func targetMutation(_ a: Int, _ b: Int, kind: MutationKind, scope: Scope) {
        guard b > a, scope.function >= 0 else { return }
        let first = tokens[a]
        guard first.isIdentifier else { return }
        // Read only when a mutation is recorded: most targets are a plain name.
        var function: String { details.functions[scope.function].qualifiedName }
        if b - a == 1 {
            if kind == .augmentedAssign {
                let name = q.text(a)
                if details.functions[scope.function].globals.contains(where: { $0.name == name }) {
                    details.mutations.append(
                        MutationFact(name: name, kind: .augmentedAssign, function: function, range: q.range(a, a)))
                }
            }
            return
        }
        if tokens[a + 1].op == .lsqb && q.matching(a + 1) == b - 1 {
            details.mutations.append(MutationFact(name: q.text(a), kind: kind, function: function, range: q.range(a, b - 1)))
            return
        }
        guard let receiver = scopeNames[scope.names].receiver, let className = details.functions[scope.function].className,
            tokens[a + 1].op == .dot, tokens[a + 2].isName, q.text(a) == receiver
        else { return }
        let attribute = q.text(a + 2)
        let method = details.functions[scope.function].name
        var memberKind: MutationKind?
        if b - a == 3 {
            memberKind = kind == .subscriptAssign ? .rebind : kind == .augmentedAssign ? .augmentedAssign : nil
        } else if tokens[a + 3].op == .lsqb && q.matching(a + 3) == b - 1 {
            memberKind = kind
        }
        if let memberKind {
            details.memberMutations.append(
                MemberMutationFact(
                    className: className, method: method, receiver: receiver, attribute: attribute, kind: memberKind,
                    range: q.range(a, b - 1)))
        }
    }

    // MARK: - __all__

    private mutating func dunderAllAssignment(_ value: Range<Int>, augmented: Bool) {
        var names = augmented ? (facts.dunderAll ?? []) : []
        var depth = 0
        var operand = value.lowerBound
        var k = value.lowerBound
        while k <= value.upperBound {
            if k == value.upperBound || (depth == 0 && tokens[k].op == .plus) {
                names += literalStrings(operand, k)
                operand = k + 1
            } else if tokens[k].op.isOpening {
                depth += 1
            } else if tokens[k].op.isClosing {
                depth -= 1
            }
            k += 1
        }
        facts.dunderAll = names
    }

    /// The strings of a list or tuple display of string literals (`["a", "b"]`, `("a",)`, `"a", "b"`).
    private func literalStrings(_ a: Int, _ b: Int) -> [String] {
        guard b > a else { return [] }
        var (lower, upper) = (a, b)
        if q.isWrapped(a, b) && tokens[a].op != .lbrace {
            lower += 1
            upper -= 1
        }
        var names: [String] = []
        for element in q.splitCommas(lower, upper) {
            if let value = q.stringValue(element.lowerBound, element.upperBound) { names.append(value) }
        }
        return names
    }

    private mutating func dunderAllCall(_ s: Int, _ e: Int) {
        guard e - s >= 5, q.is(s, "__all__"), tokens[s + 1].op == .dot, tokens[s + 3].op == .lpar,
            q.matching(s + 3) == e - 1
        else { return }
        if q.is(s + 2, "append"), let value = q.stringValue(s + 4, e - 1) {
            facts.dunderAll = (facts.dunderAll ?? []) + [value]
        } else if q.is(s + 2, "extend") {
            facts.dunderAll = (facts.dunderAll ?? []) + literalStrings(s + 4, e - 1)
        }
    }

    // MARK: - Expressions

    /// Finds attribute uses, mutating method calls, walrus targets and deprecation warnings in `[a, b)`.
    private mutating func scanExpressions(_ a: Int, _ b: Int, _ scope: Scope) {
        var k = a
        while k < b {
            let t = tokens[k]
            if t.keyword == .def || t.keyword == .class {
                k += 2
                continue
            }
            if t.kind != .name || (k > 0 && tokens[k - 1].op == .dot) {
                k += 1
                continue
            }
            let next = tokens[k + 1].op
            if next == .dot && tokens[k + 2].kind == .name {
                // The name is made into a string only when a fact needs it: most `x.y` read no imported module.
                if q.spellsOne(of: importBases, k) {
                    var j = k
                    var path: [String] = []
                    while tokens[j + 1].op == .dot && tokens[j + 2].kind == .name {
                        path.append(q.text(j + 2))
                        j += 2
                    }
                    facts.attributeUses.append(AttributeUseFact(base: q.text(k), path: path, range: q.range(k, j)))
                }
                if q.is(k + 2, "warn") && tokens[k + 3].op == .lpar && warningsModules.contains(q.text(k)) {
                    warnCall(k, k + 3, scope)
                }
                if scope.function >= 0 { methodMutation(k, scope) }
            } else if next == .lpar, scope.moduleLevel || !warnFunctions.isEmpty {
                // Outside module level (in a function or a class body) a call matters only as a `warn` imported
                // from `warnings`, which most files do not import: its name is not read out otherwise.
                let name = q.text(k)
                if warnFunctions.contains(name) { warnCall(k, k + 1, scope) }
                if scope.moduleLevel && !topLevelFunctions.isEmpty && topLevelFunctions[HashedName(name)] != nil { moduleCalls.append(name) }
                if scope.moduleLevel && calledAtModuleLevel.insert(name).inserted {
                    facts.moduleCalls.append(NameSite(name: name, range: q.range(k, q.matching(k + 1))))
                }
            } else if next == .colonEqual && scope.function >= 0 {
                recordAssignedNames([k], function: scope.function)
            }
            k += 1
        }
    }

    /// Records `name.method(...)` and `receiver.attribute.method(...)` calls of a mutating method, `name` at `k`.
    private mutating func methodMutation(_ k: Int, _ scope: Scope) {
        if tokens[k + 3].op == .lpar {
            if q.spellsOne(of: mutatingMethods, k + 2) {
                details.mutations.append(
                    MutationFact(
                        name: q.text(k), kind: .methodCall(q.text(k + 2)),
                        function: details.functions[scope.function].qualifiedName, range: q.range(k, q.matching(k + 3))))
            }
        } else if tokens[k + 3].op == .dot, tokens[k + 4].kind == .name, tokens[k + 5].op == .lpar,
            let receiver = scopeNames[scope.names].receiver, q.spells(k, receiver),
            let className = details.functions[scope.function].className
        {
            if q.spellsOne(of: mutatingMethods, k + 4) {
                details.memberMutations.append(
                    MemberMutationFact(
                        className: className, method: details.functions[scope.function].name, receiver: receiver,
                        attribute: q.text(k + 2), kind: .methodCall(q.text(k + 4)), range: q.range(k, q.matching(k + 5))))
            }
        }
    }

    /// A `warn(...)` call whose callee starts at `k` and whose `(` is at `open`.
    private mutating func warnCall(_ k: Int, _ open: Int, _ scope: Scope) {
        let close = q.matching(open)
        var positional: [Range<Int>] = []
        var keywords: [String: Range<Int>] = [:]
        for argument in q.splitCommas(open + 1, close) {
            let a = argument.lowerBound
            if tokens[a].isIdentifier && tokens[a + 1].op == .equal {
                keywords[q.text(a)] = (a + 2)..<argument.upperBound
            } else if tokens[a].op != .star && tokens[a].op != .doubleStar {
                positional.append(argument)
            }
        }
        guard let category = keywords["category"] ?? (positional.count >= 2 ? positional[1] : nil),
            q.isDottedName(category.lowerBound, category.upperBound)
        else { return }
        let categoryName = q.text(category.upperBound - 1)
        guard !otherWarningCategories.contains(categoryName) else { return }
        let messageRange = keywords["message"] ?? positional.first
        let message = messageRange.flatMap { q.stringValue($0.lowerBound, $0.upperBound) }
        let fact = DeprecationFact(category: categoryName, message: message, range: q.range(k, close))
        if scope.moduleLevel {
            facts.deprecations.append(fact)
        } else if scope.function >= 0 {
            functionWarns[scope.function, default: []].append(fact)
        }
    }

    private mutating func finishDeprecations() {
        if getattrFunction >= 0, functionWarns[getattrFunction]?.contains(where: { DeprecationFact.builtinCategories.contains($0.category) }) == true {
            facts.moduleGetattr?.warnsDeprecation = true
        }
        var seen: Set<DeprecationFact> = []
        for name in moduleCalls {
            guard let function = topLevelFunctions[HashedName(name)], let warns = functionWarns[function] else { continue }
            for warn in warns {
                var fact = warn
                fact.viaFunction = name
                if seen.insert(fact).inserted { facts.deprecations.append(fact) }
            }
        }
    }
}
