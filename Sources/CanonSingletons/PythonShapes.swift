import CanonCore
import Foundation

/// Shapes of Python code that several singleton rules recognise: mutable containers, scopes, dotted names.
enum PythonShapes {
    /// Constructors (last dotted component) whose result is a mutable container.
    static let mutableContainerConstructors: Set<String> = [
        "dict", "list", "set", "bytearray", "defaultdict", "OrderedDict", "deque", "Counter", "ChainMap",
        "WeakValueDictionary", "WeakKeyDictionary", "WeakSet",
    ]

    /// Whether a value is a mutable container: a `{}`/`[]` display or comprehension, or a call of a container
    /// constructor such as `dict()` or `collections.defaultdict(list)`.
    static func isMutableContainer(_ value: ValueKind) -> Bool {
        switch value {
        case .mutableLiteral: true
        case .call(let callee): mutableContainerConstructors.contains(lastComponent(callee))
        default: false
        }
    }

    /// The text after the last dot of a dotted name (`b` for `a.b`), without any call arguments.
    static func lastComponent(_ dotted: String) -> String {
        // In the borrowed UTF-8 bytes (brackets and dots are ASCII); a name ending in a dot goes the slow way.
        let (end, dot) = dotted.withBorrowedUTF8 { bytes -> (Int, Int?) in
            let end = bytes.firstIndex { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") } ?? bytes.count
            return (end, bytes[..<end].lastIndex(of: UInt8(ascii: ".")))
        }
        let utf8 = dotted.utf8
        let name = dotted[..<utf8.index(utf8.startIndex, offsetBy: end)]
        if let dot {
            if dot + 1 != end { return String(name[utf8.index(utf8.startIndex, offsetBy: dot + 1)...]) }
            return String(DottedName.parts(of: name).last ?? name[...])
        }
        return String(name)
    }

    /// The qualified name of the function whose scope encloses `function` (`f` for `f.<locals>.g` and for
    /// `f.<locals>.C.m`), or nil for a function directly in a module or class.
    static func enclosingFunction(of function: String) -> String? {
        // The marker is ASCII and starts a scalar, so the name is cut between scalars.
        lastOffset(of: ".<locals>.", in: function).map { String(decoding: function.utf8.prefix($0), as: UTF8.self) }
    }

    /// Whether `name`, used in `function` of `file`, is a name of the module rather than a parameter or a
    /// local (or closure) variable: no function from `function` outwards binds it without declaring it
    /// `global`.
    /// `functions` is `functionsByName(file)`.
    static func refersToModuleName(_ name: String, in function: String, of file: FileFacts, functions: FunctionsByName) -> Bool {
        var scope: String? = function
        let facts = file.functions
        while let qualifiedName = scope {
            let definitions = functions.offsets(of: qualifiedName)
            if definitions.contains(where: { facts[$0].globals.contains { $0.name == name } }) { return true }
            if definitions.contains(where: { k in
                facts[k].parameters.contains(name) || facts[k].assignedNames.contains { $0.name == name }
            }) {
                return false
            }
            scope = enclosingFunction(of: qualifiedName)
        }
        return true
    }

    /// The offsets of `file`'s functions by qualified name, for `refersToModuleName`, which is asked once per
    /// mutation: built once per file rather than searched for every mutation. Empty when no mutation of the
    /// file is inside a function.
    static func functionsByName(_ file: FileFacts) -> FunctionsByName {
        file.mutations.contains(where: { $0.function != nil }) ? FunctionsByName(file) : FunctionsByName()
    }

    /// The offsets of a file's functions by qualified name; a name defined more than once has several. Each
    /// name keeps its first offset, and each offset the next of the same name (a chain through one list),
    /// where a list for every name cost an allocation a function, a quarter of the table's cost.
    struct FunctionsByName {
        private let first: [HashedName: Int]
        private let next: [Int]

        /// No functions.
        init() {
            first = [:]
            next = []
        }

        init(_ file: FileFacts) {
            // Sized up front: growing it rehashed every name several times over.
            let functions = file.functions
            var first = [HashedName: Int](minimumCapacity: functions.count)
            var next = Array(repeating: -1, count: functions.count)
            // From the last, so that each name's chain runs in file order.
            for k in functions.indices.reversed() {
                if let later = first.updateValue(k, forKey: HashedName(functions[k].qualifiedName)) { next[k] = later }
            }
            self.first = first
            self.next = next
        }

        /// The offsets of the functions named `qualifiedName`, in file order.
        func offsets(of qualifiedName: String) -> some Sequence<Int> {
            sequence(first: first[HashedName(qualifiedName)] ?? -1) { next[$0] }.prefix { $0 >= 0 }
        }
    }

    /// Whether `word` occurs in `text` (see `lastOffset(of:in:)`).
    static func contains(_ word: StaticString, in text: String) -> Bool { lastOffset(of: word, in: text) != nil }

    /// The offset in `text`'s UTF-8 bytes of the last place `word` occurs, or nil, compared byte by byte:
    /// `String`'s own searches compare characters (Foundation's, for a string), thousands of instructions a call.
    static func lastOffset(of word: StaticString, in text: String) -> Int? {
        text.withBorrowedUTF8 { bytes in
            word.withUTF8Buffer { word in
                guard bytes.count >= word.count else { return nil }
                for start in stride(from: bytes.count - word.count, through: 0, by: -1)
                where word.indices.allSatisfy({ bytes[start + $0] == word[$0] }) {
                    return start
                }
                return nil
            }
        }
    }

    /// Whether `name` is spelled in capitals, digits and underscores only, with at least one letter: the
    /// convention for a constant.
    static func isConstantName(_ name: String) -> Bool {
        name.contains { $0.isLetter } && name.allSatisfy { ($0.isLetter && $0.isUppercase) || $0.isNumber || $0 == "_" }
    }
}

extension PythonShapes {
    /// The values that stand for "not made yet".
    static let placeholderValues: Set<String> = ["None", "{}", "[]", "()", "set()", "dict()", "list()", "''", "\"\""]
    /// The longest of `placeholderValues`, in UTF-8 bytes.
    static let placeholderLength = placeholderValues.map(\.utf8.count).max()!

    /// The module-level names of `file` that hold a placeholder for a value made later, with the assignment
    /// that first binds it: `None`, or an empty `{}`, `[]`, `()`, `set()`, `dict()`, `list()` or string, unless
    /// a function fills the container in place (then it is a module-level cache, and rebinding it resets it).
    static func lazyPlaceholders(in file: FileFacts, functions: FunctionsByName? = nil) -> [String: AssignmentFact] {
        var placeholders: [String: AssignmentFact] = [:]
        // Worked out only for a file with an empty-container placeholder: most have none.
        var filledInPlace: Set<String>?
        // By index, and the value's length before the set: most assignments are not placeholders, and some
        // values are long.
        for k in file.assignments.indices where !file.assignments[k].isAugmented {
            guard let text = file.assignments[k].valueText, text.utf8.count <= placeholderLength, placeholderValues.contains(text)
            else { continue }
            let name = file.assignments[k].name
            guard placeholders[name] == nil else { continue }
            if text != "None" {
                if filledInPlace == nil {
                    let functions = functions ?? functionsByName(file)
                    filledInPlace = Set(file.mutations.compactMap { mutation in
                        mutation.function.flatMap { refersToModuleName(mutation.name, in: $0, of: file, functions: functions) ? mutation.name : nil }
                    })
                }
                if filledInPlace!.contains(name) { continue }
            }
            placeholders[name] = file.assignments[k]
        }
        return placeholders
    }

    /// Whether any function of `file` has a `global` statement: the only way a module-level name is rebound at
    /// run time, which most files never do. By index, so that no function is copied.
    static func hasGlobalStatement(_ file: FileFacts) -> Bool {
        let functions = file.functions
        return functions.indices.contains { !functions[$0].globals.isEmpty }
    }

    /// The functions of `file` that rebind the module-level `name` through a `global` statement, each with
    /// the site of its first rebinding.
    static func globalRebinders(of name: String, in file: FileFacts) -> [(function: FunctionFact, site: NameSite)] {
        file.functions.compactMap { function in
            guard function.globals.contains(where: { $0.name == name }),
                let site = function.assignedNames.first(where: { $0.name == name })
            else { return nil }
            return (function, site)
        }
    }
}
