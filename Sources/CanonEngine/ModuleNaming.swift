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
        // Read by UTF-8 code unit (a slash is never part of a longer character): the folders between slashes,
        // empty ones left out, joined with dots as they are found, then the file's name. Splitting the path into
        // strings and joining them again cost 13,000 instructions a file.
        var folders: [UInt8] = []
        var file = ""
        path.withBorrowedUTF8 { utf8 in
            let bytes = UnsafeBufferPointer(rebasing: utf8[(utf8.count - relative.utf8.count)...])
            folders.reserveCapacity(bytes.count)
            var last = 0..<0
            var k = 0
            while k < bytes.count {
                guard bytes[k] != UInt8(ascii: "/") else {
                    k += 1
                    continue
                }
                let start = k
                while k < bytes.count && bytes[k] != UInt8(ascii: "/") { k += 1 }
                if !last.isEmpty {
                    if !folders.isEmpty { folders.append(UInt8(ascii: ".")) }
                    folders.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[last]))
                }
                last = start..<k
            }
            file = String(decoding: UnsafeBufferPointer(rebasing: bytes[last]), as: UTF8.self)
        }
        // By `Character`, as a file's name is matched (a `.py` whose dot a preceding character absorbs is not one);
        // the suffix is ASCII, so it is that many bytes.
        if let suffix = [".pyi", ".py"].first(where: file.hasSuffix) {
            file = String(decoding: file.utf8.dropLast(suffix.utf8.count), as: UTF8.self)
        }
        let isPackage = file == "__init__"
        if !isPackage {
            if !folders.isEmpty { folders.append(UInt8(ascii: ".")) }
            folders.append(contentsOf: file.utf8)
        }
        let name = String(decoding: folders, as: UTF8.self)
        if rootPackagePrefix.isEmpty { return (name, isPackage) }
        return (name.isEmpty ? String(rootPackagePrefix.dropLast()) : rootPackagePrefix + name, isPackage)
    }
}
