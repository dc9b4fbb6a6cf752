import CanonCore

/// The rules of one `.gitignore` file, anchored at the folder that holds it.
struct GitIgnore: Sendable {
    struct Rule: Sendable {
        let glob: Glob
        let negated: Bool
    }

    /// The folder holding the file, relative to the scan root (`""` at the root).
    let base: String
    let rules: [Rule]

    init(base: String, text: String) {
        self.base = base
        var rules: [Rule] = []
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            while line.last == " " && !line.hasSuffix("\\ ") { line.removeLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var negated = false
            if line.hasPrefix("!") {
                negated = true
                line.removeFirst()
            } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
                line.removeFirst()
            }
            guard !line.isEmpty else { continue }
            rules.append(Rule(glob: Glob(String(line)), negated: negated))
        }
        self.rules = rules
    }

    /// Whether this file decides `path` (relative to the scan root): true ignored, false re-included, nil silent.
    func verdict(for path: String, isDirectory: Bool) -> Bool? {
        let local: String
        if base.isEmpty {
            local = path
        } else {
            guard path.hasPrefix(base + "/") else { return nil }
            local = String(path.dropFirst(base.count + 1))
        }
        var verdict: Bool?
        for rule in rules where rule.glob.matches(local, isDirectory: isDirectory) {
            verdict = !rule.negated
        }
        return verdict
    }
}
