import CanonCore

/// Reads the policy's project-wide sections (`concepts`, `deprecated`, `public_api`, `roots`) into
/// `ProjectSettings`, strictly: unknown keys and wrong types are errors with their line.
enum ProjectSections {
    static let keys = ["concepts", "deprecated", "public_api", "roots"]

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
        if let node = root["public_api"] {
            for module in try decode([String].self, node, path: "public_api") where !settings.publicAPI.contains(module) {
                settings.publicAPI.append(module)
            }
        }
        if let node = root["roots"] {
            settings.roots = try decode([String].self, node, path: "roots").map { root in
                var trimmed = Substring(root)
                while trimmed.hasSuffix("/") { trimmed.removeLast() }
                while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
                return trimmed == "." ? "" : String(trimmed)
            }
        }
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
