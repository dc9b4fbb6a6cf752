import CanonCore

/// The key of cached findings: the set of facts, and everything about the rules that can change what they
/// report (each rule's id, severity, options with where they were written, scope), the project settings and
/// the names of the policy files.
///
/// The rules are described by their reflection, which lists every stored property in declaration order:
/// arrays and structs only, no dictionaries or sets whose order would change from run to run.
enum FindingsKey {
    static func of(facts: ContentHash, rules: [ConfiguredRule], settings: ProjectSettings, policyPaths: [String: String]) -> ContentHash {
        var text = "facts \(facts)\n"
        for rule in rules {
            text += "rule \(rule.description.id) \(rule.severity) \(rule.readsAllowlistAudit)\n"
            text += String(reflecting: rule.options) + "\n" + String(reflecting: rule.scope) + "\n"
        }
        text += String(reflecting: settings) + "\n"
        for (file, name) in policyPaths.sorted(by: { $0.key < $1.key }) { text += "policy \(file) \(name)\n" }
        return ContentHash.of(text)
    }
}
