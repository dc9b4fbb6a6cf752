import Canon
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `initialize` sets up: the workspace root, its policy and rules, and the project's parsed files once a
/// scan has read them. Held in memory only; the server never writes files.
struct Workspace: Sendable {
    /// The root, absolute, symlinks resolved.
    let root: URL
    let policy: Policy
    let rules: [ConfiguredRule]
    /// The project as last read by `scan` (or the first `scanFile`), with `scanFile` contents laid over it.
    var project: ProjectSnapshot?

    init(root: URL, policyFile: URL?, registry: Registry) throws(RPCError) {
        guard let real = Self.realPath(root.path) else {
            throw RPCError(RPCError.invalidParams, "the workspace root '\(root.path)' does not exist; give an existing folder")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RPCError(RPCError.invalidParams, "the workspace root '\(root.path)' is not a folder; give the project's folder")
        }
        self.root = URL(fileURLWithPath: real, isDirectory: true)
        do {
            policy = try PolicyLoader(registry: registry).load(root: self.root, explicitFile: policyFile)
            rules = try policy.configuredRules(registry: registry)
        } catch {
            throw RPCError(RPCError.invalidParams, String(describing: error))
        }
    }

    /// `raw` (absolute, a `file://` URI, or relative to the root) as a path relative to the root; refused
    /// when it lies outside the root lexically (`..`) or physically (a symlink that leaves it). The root itself
    /// is `""`.
    func relativePath(_ raw: String) throws(RPCError) -> String {
        var path = raw
        if raw.lowercased().hasPrefix("file:") {
            guard let url = URL(string: raw), url.isFileURL else {
                throw RPCError(RPCError.invalidParams, "'\(raw)' is not a valid file URI")
            }
            path = url.path
        } else if !raw.hasPrefix("/") {
            path = root.path + "/" + raw
        }
        let outside = RPCError(RPCError.invalidParams, "'\(raw)' is outside the workspace root '\(root.path)'; give a path inside it")
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." {
                guard parts.popLast() != nil else { throw outside }
            } else {
                parts.append(part)
            }
        }
        var existing = parts[...]
        var missing: [Substring] = []
        var physical: String?
        while physical == nil {
            physical = Self.realPath("/" + existing.joined(separator: "/"))
            if physical == nil, let last = existing.popLast() { missing.insert(last, at: 0) }
        }
        let resolved = ([physical!] + missing.map(String.init)).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
        if resolved == root.path { return "" }
        guard resolved.hasPrefix(root.path + "/") else { throw outside }
        return String(resolved.dropFirst(root.path.count + 1))
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
