import Foundation

/// Derives Python module names from paths relative to the scan root.
///
/// A module is named by its path below the deepest source root that holds it. Without declared roots, the
/// source root is the scan root, or `src/` beneath it for a `src` layout. Packages with and without
/// `__init__.py` are named alike, by their folders. When the scan root is itself a package (it holds an
/// `__init__.py`) and no roots are declared, its folder name is the top package.
public struct ModuleNaming: Sendable {
    /// The prefix for modules when the scan root is a package (`"pkg."`), else `""`.
    let rootPackagePrefix: String
    /// Declared source roots, deepest first, relative to the scan root (`""` is the scan root itself).
    let roots: [String]

    public init(root: URL, roots: [String] = []) {
        let isPackage = FileManager.default.fileExists(atPath: root.appendingPathComponent("__init__.py").path)
        rootPackagePrefix = isPackage && roots.isEmpty ? root.standardizedFileURL.lastPathComponent + "." : ""
        self.roots = roots.sorted { $0.count > $1.count }
    }

    public init(rootPackage: String?, roots: [String] = []) {
        rootPackagePrefix = rootPackage.map { $0 + "." } ?? ""
        self.roots = roots.sorted { $0.count > $1.count }
    }

    /// The module name for a `.py` or `.pyi` file, and whether it is a package's `__init__`.
    public func module(forPath path: String) -> (name: String, isPackage: Bool) {
        var relative = Substring(path)
        if let root = roots.first(where: { $0.isEmpty || path.hasPrefix($0 + "/") }) {
            relative = root.isEmpty ? relative : relative.dropFirst(root.count + 1)
        } else if roots.isEmpty && path.hasPrefix("src/") {
            relative = relative.dropFirst(4)
        }
        // Split by UTF-8 code unit: a slash is never part of a longer character, and a split by `Character`
        // walks every path grapheme by grapheme.
        var parts = relative.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
        var last = parts.removeLast()
        for suffix in [".pyi", ".py"] where last.hasSuffix(suffix) {
            last.removeLast(suffix.count)
            break
        }
        let isPackage = last == "__init__"
        if !isPackage { parts.append(last) }
        let name = parts.joined(separator: ".")
        if rootPackagePrefix.isEmpty { return (name, isPackage) }
        return (name.isEmpty ? String(rootPackagePrefix.dropLast()) : rootPackagePrefix + name, isPackage)
    }
}
