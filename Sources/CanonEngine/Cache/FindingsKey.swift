import CanonCore

/// The key of cached findings: the set of facts, the paths reported, and everything about the rules that can
/// change what they report (each rule's id, severity, options with where they were written, scope), the
/// project settings and the names of the policy files.
///
/// The rules and settings are described by their reflection, every stored property in declaration order,
/// with the entries of dictionaries and sets sorted (their own order changes from one instance to the next).
enum FindingsKey {
    /// The key from the set of facts and what `describe` says of the rest (which does not wait for the facts).
    static func of(facts: ContentHash, described: String) -> ContentHash {
        ContentHash.of("facts \(facts)\n" + described)
    }

    /// Everything in the key but the facts.
    static func describe(rules: [ConfiguredRule], settings: ProjectSettings, policyPaths: [String: String], reported: [String]?) -> String {
        var text = "reported \(reported.map { $0.joined(separator: "\u{0}") } ?? "all")\n"
        for rule in rules {
            // The severity by its raw value: interpolating the case asks the runtime which printing protocols it
            // conforms to, a scan of every conformance record in the binary.
            text += "rule \(rule.description.id) \(rule.severity.rawValue) \(rule.readsAllowlistAudit)\n"
            text += stableDescription(rule.options) + "\n" + stableDescription(rule.scope) + "\n"
        }
        text += stableDescription(settings) + "\n"
        for (file, name) in policyPaths.sorted(by: { $0.key < $1.key }) { text += "policy \(file) \(name)\n" }
        return text
    }

    /// `value`'s reflection with dictionaries and sets in a fixed order; a policy's options (`ConfigNode`)
    /// written out by `describe(_:to:)` instead.
    static func stableDescription(_ value: Any) -> String {
        if let node = value as? ConfigNode {
            var text = ""
            describe(node, to: &text)
            return text
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct, .class, .tuple:
            let fields = mirror.children.map { "\($0.label ?? "_"): \(stableDescription($0.value))" }
            return "\(mirror.subjectType)(\(fields.joined(separator: ", ")))"
        case .enum:
            // A case with a payload has one child, labelled with the case's name: describing the whole value to
            // read its name rendered the payload's whole tree again at every level of a policy's options.
            if let payload = mirror.children.first {
                return "\(payload.label ?? "_")(\(stableDescription(payload.value)))"
            }
            return "\(String(describing: value))()"
        case .optional:
            return mirror.children.first.map { "some(\(stableDescription($0.value)))" } ?? "nil"
        case .collection:
            return "[" + mirror.children.map { stableDescription($0.value) }.joined(separator: ", ") + "]"
        case .dictionary, .set:
            return "{" + mirror.children.map { stableDescription($0.value) }.sorted().joined(separator: ", ") + "}"
        default:
            return String(reflecting: value)
        }
    }

    /// A policy's options, every value and every mark (strings and file names with their lengths, so that no two
    /// trees read the same). They are most of what the key describes, and reflected node by node they cost the
    /// runtime's first conformance lookups for every type in the tree, a tenth of a warm scan. Every stored
    /// property of `ConfigNode` and `ConfigMark` is written (a test fails when one is added), and the switches
    /// name every case, so a new one does not compile until it is written here.
    static func describe(_ node: ConfigNode, to text: inout String) {
        describe(node.mark, to: &text)
        switch node.value {
        case .scalar(let scalar):
            switch scalar {
            case .null: text += "null"
            case .bool(let value): text += "bool(\(value))"
            case .int(let value): text += "int(\(value))"
            case .double(let value): text += "double(\(value))"
            case .string(let value): text += "string(\(value.utf8.count):\(value))"
            }
        case .sequence(let items):
            text += "sequence(\(items.count)"
            for item in items {
                text += " "
                describe(item, to: &text)
            }
            text += ")"
        case .mapping(let entries):
            text += "mapping(\(entries.count)"
            for entry in entries {
                text += " \(entry.key.utf8.count):\(entry.key)"
                describe(entry.keyMark, to: &text)
                text += "="
                describe(entry.value, to: &text)
            }
            text += ")"
        }
    }

    private static func describe(_ mark: ConfigMark?, to text: inout String) {
        guard let mark else { return text += "@-" }
        text += "@\(mark.file.utf8.count):\(mark.file):\(mark.line):\(mark.column)"
    }
}
