import Foundation

/// Derives Python module names from paths relative to the scan root.
///
/// The source root is the scan root, or `src/` beneath it for a `src` layout; packages with and without
/// `__init__.py` are named alike, by their folders. When the scan root is itself a package (it holds an
/// `__init__.py`), its folder name is the top package.
public struct ModuleNaming: Sendable {
    /// The prefix for modules when the scan root is a package (`"pkg."`), else `""`.
    let rootPackagePrefix: String

    public init(root: URL) {
        let isPackage = FileManager.default.fileExists(atPath: root.appendingPathComponent("__init__.py").path)
        rootPackagePrefix = isPackage ? root.standardizedFileURL.lastPathComponent + "." : ""
    }

    public init(rootPackage: String?) {
        rootPackagePrefix = rootPackage.map { $0 + "." } ?? ""
    }

    /// The module name for a `.py` or `.pyi` file, and whether it is a package's `__init__`.
    public func module(forPath path: String) -> (name: String, isPackage: Bool) {
        var parts = path.split(separator: "/").map(String.init)
        if parts.count > 1 && parts[0] == "src" { parts.removeFirst() }
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
