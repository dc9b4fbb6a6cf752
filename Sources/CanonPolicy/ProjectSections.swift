import CanonCore
import Foundation

/// Reads the policy's project-wide sections (`concepts`, `deprecated`, `public_api`, `roots`, and the import
/// contracts `layers`, `forbidden`, `independence`) into `ProjectSettings`, strictly: unknown keys and wrong
/// types are errors with their line.
enum ProjectSections {
    static let keys = [
        "concepts", "deprecated", "deprecation_functions", "public_api", "roots", "layers", "forbidden", "independence",
    ]

    struct LayersBody: Decodable {
        var name: String
        var layers: [String]
        var containers: [String]?
        var exhaustive: Bool?
        var exhaustiveIgnores: [String]?
        var except: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case layers
            case containers
            case exhaustive
            case exhaustiveIgnores = "exhaustive_ignores"
            case except
        }
    }

    struct ForbiddenBody: Decodable {
        var name: String
        var from: [String]
        var to: [String]
        var except: [String]?
        var message: String?
        var indirect: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case from
            case to
            case except
            case message
            case indirect
        }
    }

    struct IndependenceBody: Decodable {
        var name: String
        var modules: [String]
        var except: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case modules
            case except
        }
    }

    private struct ConceptBody: Decodable {
        var symbols: [String]?
        var pattern: String?
        var canonical: String?
        var maxFiles: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case symbols
            case pattern
            case canonical
            case maxFiles = "max_files"
        }
    }

    private struct DeprecatedBody: Decodable {
        var module: String
        var use: String?
        var symbols: [String]?
        var message: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case module
            case use
            case symbols
            case message
        }
    }

    /// The JSON Schema of each section, keyed by the bodies' coding keys so the schema cannot drift from what
    /// the loader reads.
    static var schemas: [String: JSONValue] {
        let strings = PolicySchema.strings
        let patterns = strings("module patterns: app.api, app.*.models (one name), app.** (one or more names)")
        let except = strings("imports the contract lets through, written 'importer -> imported' with module patterns")
        return [
            "concepts": [
                "type": "object", "description": "named concepts whose consolidation is tracked",
                "additionalProperties": object(ConceptBody.CodingKeys.self, required: [], types: [
                    "symbols": strings("exact symbol names that are this concept"),
                    "pattern": ["type": "string", "description": "a regular expression; symbol names matching it in full are this concept"],
                    "canonical": ["type": "string", "description": "the module that is the concept's one home"],
                    "max_files": ["type": "integer", "description": "the most files that may import the concept"],
                ]),
            ],
            "deprecated": [
                "type": "array", "description": "modules (or some of their symbols) the team has deprecated",
                "items": object(DeprecatedBody.CodingKeys.self, required: ["module"], types: [
                    "module": ["type": "string"], "use": ["type": "string", "description": "the module to use instead"],
                    "symbols": strings("the deprecated symbols; none means the whole module"), "message": ["type": "string"],
                ]),
            ],
            "deprecation_functions": strings("functions (by qualified name) whose call at module level deprecates the calling module, like warnings.warn(..., DeprecationWarning)"),
            "public_api": strings("packages that are the public API for what they re-export"),
            "roots": strings("source roots relative to the scan root, for monorepos; module names are relative to the deepest root holding a file"),
            "layers": [
                "type": "array", "description": "layered architectures: a lower layer must not import a higher one (layer_violation)",
                "items": object(LayersBody.CodingKeys.self, required: ["name", "layers"], types: [
                    "name": ["type": "string"],
                    "layers": strings("from the highest layer to the lowest; 'a | b' independent siblings, 'a : b' siblings that may import each other, '(a)' optional"),
                    "containers": strings("packages inside each of which the layers apply (layer names are then relative to them)"),
                    "exhaustive": ["type": "boolean", "description": "every child of a container must be in a layer"],
                    "exhaustive_ignores": strings("children of containers that need not be in a layer"),
                    "except": except,
                ]),
            ],
            "forbidden": [
                "type": "array", "description": "imports that must not exist (forbidden_import)",
                "items": object(ForbiddenBody.CodingKeys.self, required: ["name", "from", "to"], types: [
                    "name": ["type": "string"], "from": patterns, "to": patterns, "except": except,
                    "message": ["type": "string", "description": "what to tell the author"],
                    "indirect": ["type": "boolean", "description": "chains through other modules count too (default false)"],
                ]),
            ],
            "independence": [
                "type": "array", "description": "sibling modules that must not import each other (forbidden_import)",
                "items": object(IndependenceBody.CodingKeys.self, required: ["name", "modules"], types: [
                    "name": ["type": "string"], "modules": patterns, "except": except,
                ]),
            ],
        ]
    }

    private static func object<Keys: CodingKey & CaseIterable>(
        _ keys: Keys.Type, required: [String], types: [String: JSONValue]
    ) -> JSONValue {
        precondition(Set(Keys.allCases.map(\.stringValue)) == Set(types.keys), "the schema of \(Keys.self) is out of date")
        return [
            "type": "object", "additionalProperties": false, "required": .array(required.map { .string($0) }),
            "properties": .object(types),
        ]
    }

    /// Lays the sections of one policy layer over `settings`: concepts by name and deprecations by module
    /// replace earlier ones, public APIs are added, roots are replaced.
    static func apply(_ root: ConfigNode, to settings: inout ProjectSettings) throws(PolicyError) {
        if let node = root["concepts"] {
            guard let entries = node.entries else {
                throw .invalidConfiguration(
                    .typeMismatch(path: "concepts", expected: "a mapping of concept names", found: node.kindName, mark: node.mark))
            }
            for entry in entries {
                let body = try decode(ConceptBody.self, entry.value, path: "concepts.\(entry.key)")
                if let pattern = body.pattern, (try? Regex(pattern)) == nil {
                    throw .invalidConfiguration(
                        .invalidValue(path: "concepts.\(entry.key).pattern", reason: "is not a valid regular expression", mark: entry.value["pattern"]?.mark))
                }
                guard !(body.symbols ?? []).isEmpty || body.pattern != nil else {
                    throw .invalidConfiguration(
                        .invalidValue(path: "concepts.\(entry.key)", reason: "needs 'symbols' or 'pattern'", mark: entry.value.mark))
                }
                let concept = Concept(
                    name: entry.key, symbols: body.symbols ?? [], pattern: body.pattern, canonical: body.canonical,
                    maxFiles: body.maxFiles, mark: entry.keyMark)
                settings.concepts.removeAll { $0.name == concept.name }
                settings.concepts.append(concept)
            }
            settings.concepts.sort { $0.name < $1.name }
        }
        if let node = root["deprecated"] {
            guard case .sequence(let items) = node.value else {
                throw .invalidConfiguration(.typeMismatch(path: "deprecated", expected: "a list", found: node.kindName, mark: node.mark))
            }
            for (offset, item) in items.enumerated() {
                let body = try decode(DeprecatedBody.self, item, path: "deprecated[\(offset)]")
                settings.deprecated.removeAll { $0.module == body.module }
                settings.deprecated.append(
                    DeprecatedModule(module: body.module, use: body.use, symbols: body.symbols ?? [], message: body.message, mark: item.mark))
            }
        }
        try addNames(root, "deprecation_functions", to: &settings.deprecationFunctions)
        try addNames(root, "public_api", to: &settings.publicAPI)
        if let node = root["roots"] {
            settings.roots = try decode([String].self, node, path: "roots").map { root in
                var trimmed = Substring(root)
                while trimmed.hasSuffix("/") { trimmed.removeLast() }
                while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
                return trimmed == "." ? "" : String(trimmed)
            }
        }
        try applyContracts(root, to: &settings)
    }

    /// Reads `layers`, `forbidden` and `independence`: a contract replaces an earlier layer's contract of the
    /// same kind and name; names are unique within one list.
    private static func applyContracts(_ root: ConfigNode, to settings: inout ProjectSettings) throws(PolicyError) {
        for (item, path) in try items(root, "layers") {
            let body = try decode(LayersBody.self, item, path: path)
            let layerNodes = sequence(item["layers"])
            var layers: [Layer] = []
            var seen: [String] = []
            for (offset, text) in body.layers.enumerated() {
                let layer = try parseLayer(text, mark: layerNodes[safe: offset]?.mark, path: "\(path).layers[\(offset)]")
                for member in layer.members {
                    if let clash = seen.first(where: { $0 == member.name || member.name.hasPrefix($0 + ".") || $0.hasPrefix(member.name + ".") }) {
                        throw .invalidConfiguration(.invalidValue(
                            path: "\(path).layers[\(offset)]",
                            reason: clash == member.name ? "repeats '\(clash)', which is already a layer" : "'\(member.name)' and '\(clash)' contain one another; a layer cannot hold another",
                            mark: layerNodes[safe: offset]?.mark))
                    }
                    seen.append(member.name)
                }
                layers.append(layer)
            }
            guard !layers.isEmpty else {
                throw .invalidConfiguration(.invalidValue(path: "\(path).layers", reason: "is empty; list the layers from highest to lowest", mark: item["layers"]?.mark))
            }
            let containers = try patterns(body.containers ?? [], item["containers"], path: "\(path).containers")
            if body.exhaustive == true && containers.isEmpty {
                throw .invalidConfiguration(.invalidValue(path: "\(path).exhaustive", reason: "needs 'containers': only children of containers can be checked", mark: item["exhaustive"]?.mark))
            }
            let contract = LayersContract(
                name: body.name, layers: layers, containers: containers, exhaustive: body.exhaustive ?? false,
                exhaustiveIgnores: body.exhaustiveIgnores ?? [],
                exceptions: try exceptions(body.except, item["except"], path: "\(path).except"), mark: item.mark)
            try add(contract, to: &settings.layerContracts, in: root["layers"], name: \.name)
        }
        for (item, path) in try items(root, "forbidden") {
            let body = try decode(ForbiddenBody.self, item, path: path)
            let contract = ForbiddenContract(
                name: body.name, from: try patterns(body.from, item["from"], path: "\(path).from"),
                to: try patterns(body.to, item["to"], path: "\(path).to"),
                exceptions: try exceptions(body.except, item["except"], path: "\(path).except"), message: body.message,
                indirect: body.indirect ?? false, mark: item.mark)
            for (key, list) in [("from", contract.from), ("to", contract.to)] where list.isEmpty {
                throw .invalidConfiguration(.invalidValue(path: "\(path).\(key)", reason: "is empty; name at least one module", mark: item[key]?.mark))
            }
            try add(contract, to: &settings.forbiddenContracts, in: root["forbidden"], name: \.name)
        }
        for (item, path) in try items(root, "independence") {
            let body = try decode(IndependenceBody.self, item, path: path)
            let contract = IndependenceContract(
                name: body.name, modules: try patterns(body.modules, item["modules"], path: "\(path).modules"),
                exceptions: try exceptions(body.except, item["except"], path: "\(path).except"), mark: item.mark)
            try add(contract, to: &settings.independenceContracts, in: root["independence"], name: \.name)
        }
    }

    /// The items of a top-level list section, each with its path for messages.
    private static func items(_ root: ConfigNode, _ key: String) throws(PolicyError) -> [(ConfigNode, String)] {
        guard let node = root[key] else { return [] }
        guard case .sequence(let items) = node.value else {
            throw .invalidConfiguration(.typeMismatch(path: key, expected: "a list of contracts", found: node.kindName, mark: node.mark))
        }
        return items.enumerated().map { ($0.element, "\(key)[\($0.offset)]") }
    }

    private static func sequence(_ node: ConfigNode?) -> [ConfigNode] {
        if case .sequence(let items) = node?.value { return items }
        return []
    }

    /// Adds a contract, replacing one of the same name from an earlier policy layer; two of one name in the
    /// same list are an error.
    private static func add<Contract>(
        _ contract: Contract, to list: inout [Contract], in section: ConfigNode?, name: KeyPath<Contract, String>
    ) throws(PolicyError) {
        let names = sequence(section).compactMap { item -> String? in
            if case .scalar(.string(let text)) = item["name"]?.value { return text }
            return nil
        }
        guard names.filter({ $0 == contract[keyPath: name] }).count == 1 else {
            throw .invalidConfiguration(.invalidValue(
                path: "the contract name '\(contract[keyPath: name])'", reason: "is used twice in one list; give each contract its own name",
                mark: sequence(section).last { $0["name"]?.value == .scalar(.string(contract[keyPath: name])) }?["name"]?.mark))
        }
        if let index = list.firstIndex(where: { $0[keyPath: name] == contract[keyPath: name] }) {
            list[index] = contract
        } else {
            list.append(contract)
        }
    }

    /// One written layer: `app.api`, `(app.optional)`, `a | b` (independent siblings) or `a : b` (siblings that
    /// may import each other).
    static func parseLayer(_ text: String, mark: ConfigMark?, path: String) throws(PolicyError) -> Layer {
        let independent = text.contains("|")
        if independent && text.contains(":") {
            throw .invalidConfiguration(.invalidValue(path: path, reason: "mixes '|' and ':'; siblings are either independent ('|') or not (':')", mark: mark))
        }
        var members: [Layer.Member] = []
        for raw in text.split(separator: independent ? "|" : ":", omittingEmptySubsequences: false) {
            var name = raw.trimmingCharacters(in: .whitespaces)
            let optional = name.hasPrefix("(") && name.hasSuffix(")")
            if optional { name = String(name.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces) }
            let pattern: ModulePattern
            do {
                pattern = try ModulePattern(name)
            } catch {
                throw .invalidConfiguration(.invalidValue(path: path, reason: "is not a module name: \(error)", mark: mark))
            }
            guard pattern.isLiteral else {
                throw .invalidConfiguration(.invalidValue(path: path, reason: "'\(name)' has a wildcard; a layer is a module name", mark: mark))
            }
            if members.contains(where: { $0.name == name }) {
                throw .invalidConfiguration(.invalidValue(path: path, reason: "repeats '\(name)'", mark: mark))
            }
            members.append(Layer.Member(name: name, isOptional: optional))
        }
        return Layer(members: members, isIndependent: independent || members.count == 1, mark: mark)
    }

    private static func patterns(_ texts: [String], _ node: ConfigNode?, path: String) throws(PolicyError) -> [ModulePattern] {
        let nodes = sequence(node)
        var result: [ModulePattern] = []
        for (offset, text) in texts.enumerated() {
            do {
                result.append(try ModulePattern(text))
            } catch {
                throw .invalidConfiguration(.invalidValue(path: "\(path)[\(offset)]", reason: "is not a module pattern: \(error)", mark: nodes[safe: offset]?.mark))
            }
        }
        return result
    }

    private static func exceptions(_ texts: [String]?, _ node: ConfigNode?, path: String) throws(PolicyError) -> [ImportException] {
        let nodes = sequence(node)
        var result: [ImportException] = []
        for (offset, text) in (texts ?? []).enumerated() {
            do {
                result.append(try ImportException(text, mark: nodes[safe: offset]?.mark))
            } catch {
                throw .invalidConfiguration(.invalidValue(path: "\(path)[\(offset)]", reason: "is not an import: \(error)", mark: nodes[safe: offset]?.mark))
            }
        }
        return result
    }

    /// Adds the names listed under `key` to `list`, those it does not hold yet: a later policy layer adds to
    /// the lists of the layers before it.
    private static func addNames(_ root: ConfigNode, _ key: String, to list: inout [String]) throws(PolicyError) {
        guard let node = root[key] else { return }
        for name in try decode([String].self, node, path: key) where !list.contains(name) { list.append(name) }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ node: ConfigNode, path: String) throws(PolicyError) -> T {
        do {
            return try ConfigDecoder().decode(type, from: node, path: path)
        } catch let error as ConfigError {
            throw .invalidConfiguration(error)
        } catch {
            throw .invalidConfiguration(.invalidValue(path: path, reason: "could not be read: \(error)", mark: node.mark))
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
