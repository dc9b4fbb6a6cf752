import Canon
import Foundation

/// A project written to a temporary folder, fixed in place by `fix()`.
struct FixTree {
    let url: URL

    init(_ files: [String: String], policy: String = "") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("canon-fix-\(UUID().uuidString)")
        for (path, text) in files { try write(path, text) }
        if !policy.isEmpty { try write(".canon.yml", policy) }
    }

    func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(path)), as: UTF8.self)
    }

    /// Runs `canon fix` on the whole tree with the policy's rules (or only `select`).
    func fix(write: Bool = true, select: [String]? = nil) throws -> FixResult {
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(root: url)
        let rules = try policy.configuredRules(registry: registry, select: select, ignore: [])
        return try Fixer.fix(FixRequest(root: url, policy: policy, rules: rules, jobs: 2, write: write))
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A shim package that re-exports `Order` and `Item` from `app.real` and warns on import, and the real home.
let shimProject: [String: String] = [
    "app/__init__.py": "",
    "app/real/__init__.py": "from .models import Item, Order\n\n__all__ = [\"Item\", \"Order\"]\n",
    "app/real/models.py": "class Order:\n    pass\n\n\nclass Item:\n    pass\n",
    "app/shim/__init__.py":
        "import warnings\n\nwarnings.warn(\"app.shim is deprecated; use app.real\", DeprecationWarning)\n\nfrom app.real import Item, Order  # noqa: F401\n",
]

/// The path to `python3`, if one is on the PATH.
let python3: String? = {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let candidate = "\(folder)/python3"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}()
