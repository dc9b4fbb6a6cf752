extension DetectorOptions {
    /// The defaults as a configuration mapping, as `rules.yml` spells them.
    public static var defaultNode: ConfigNode {
        // Encoding plain structs of strings, numbers, booleans and lists cannot fail.
        (try? ConfigEncoder().encode(Self())) ?? .emptyMapping
    }

    /// Decodes options from a mapping written under `rules.<rule>`, laid over the defaults: keys not given keep
    /// their defaults, keys the defaults do not have are errors.
    public static func decode(from node: ConfigNode, rule: String) throws(ConfigError) -> Self {
        let defaults = defaultNode
        guard let given = node.entries else {
            throw .typeMismatch(path: "rules.\(rule)", expected: "a mapping", found: node.kindName, mark: node.mark)
        }
        let known = defaults.entries?.map(\.key) ?? []
        for entry in given where !known.contains(entry.key) {
            throw .unknownKey(
                entry.key, mark: entry.keyMark, context: "the options of rule '\(rule)'", known: ["severity"] + known)
        }
        let options: Self
        do {
            options = try ConfigDecoder().decode(Self.self, from: defaults.overlaid(with: node), path: "rules.\(rule)")
        } catch let error as ConfigError {
            throw error
        } catch {
            throw .invalidValue(path: "rules.\(rule)", reason: "could not be read: \(error)", mark: node.mark)
        }
        if let problem = options.validate().first {
            var value = node[problem.key]
            var path = "rules.\(rule).\(problem.key)"
            if let index = problem.index, case .sequence(let items)? = value?.value, items.indices.contains(index) {
                value = items[index]
                path += "[\(index)]"
            }
            throw .invalidValue(path: path, reason: problem.reason, mark: value?.mark ?? node.mark)
        }
        return options
    }
}
