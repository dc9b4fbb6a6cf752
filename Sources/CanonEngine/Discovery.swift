import CanonCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file the walk found to scan.
struct DiscoveredFile: Sendable {
    /// Relative to the scan root, `/`-separated.
    let path: String
    let absolutePath: String
}

/// Walks the scan root: honours `.gitignore` files (nested ones too), skips tool and environment folders,
/// applies the policy's include and exclude globs, follows symlinks without looping, and passes over files
/// that are too large.
struct Discovery {
    /// Folders that never hold project sources, as ruff skips them.
    static let skippedFolders: Set<String> = [
        ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox",
        ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pycache__",
        "__pypackages__", "buck-out", "node_modules", "site-packages", "venv", ".build",
    ]

    let root: URL
    let include: [Glob]
    let exclude: [Glob]
    let maxFileSize: Int
    /// Whether a front end reads the file at a path; files none reads are passed over silently.
    var reads: @Sendable (String) -> Bool = { _ in true }

    /// Suffixes of compiled Python modules: never parsed, but importable, so imports of them resolve.
    static let compiledSuffixes = [".pyx", ".so", ".pyd"]

    func run() -> (files: [DiscoveredFile], skipped: [SkippedFile], compiled: [String]) {
        var files: [DiscoveredFile] = []
        var compiled: [String] = []
        var skipped: [SkippedFile] = []
        var visited: Set<[UInt64]> = []
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        var stack: [(absolute: String, relative: String, ignores: [GitIgnore])] = [(rootPath, "", [])]
        while let (absolute, relative, inherited) = stack.popLast() {
            var info = stat()
            guard stat(absolute, &info) == 0 else {
                skipped.append(SkippedFile(path: relative, reason: "cannot be read: \(String(cString: strerror(errno)))"))
                continue
            }
            guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { continue }
            var ignores = inherited
            if let text = try? String(contentsOfFile: absolute + "/.gitignore", encoding: .utf8) {
                ignores.append(GitIgnore(base: relative, text: text))
            }
            guard let directory = opendir(absolute) else {
                skipped.append(SkippedFile(path: relative, reason: "cannot be listed: \(String(cString: strerror(errno)))"))
                continue
            }
            var children: [(name: String, isDirectory: Bool, size: Int)] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                    String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                var childInfo = stat()
                guard stat(absolute + "/" + name, &childInfo) == 0 else { continue }
                let kind = childInfo.st_mode & S_IFMT
                if kind == S_IFDIR {
                    children.append((name, true, 0))
                } else if kind == S_IFREG {
                    children.append((name, false, Int(childInfo.st_size)))
                }
            }
            closedir(directory)
            children.sort { $0.name > $1.name }
            for child in children {
                let childRelative = relative.isEmpty ? child.name : relative + "/" + child.name
                if child.isDirectory {
                    if Self.skippedFolders.contains(child.name) { continue }
                    if FileManager.default.fileExists(atPath: absolute + "/" + child.name + "/pyvenv.cfg") { continue }
                } else if !include.contains(where: { $0.matches(childRelative) }) || !reads(childRelative) {
                    if Self.compiledSuffixes.contains(where: { child.name.hasSuffix($0) }),
                        !isIgnored(childRelative, isDirectory: false, by: ignores),
                        !exclude.contains(where: { $0.matches(childRelative) })
                    {
                        compiled.append(childRelative)
                    }
                    continue
                }
                if isIgnored(childRelative, isDirectory: child.isDirectory, by: ignores) { continue }
                if exclude.contains(where: { $0.matches(childRelative, isDirectory: child.isDirectory) }) { continue }
                if child.isDirectory {
                    stack.append((absolute + "/" + child.name, childRelative, ignores))
                } else if child.size > maxFileSize {
                    skipped.append(
                        SkippedFile(
                            path: childRelative,
                            reason: "\(child.size) bytes is over max_file_size (\(maxFileSize)); raise it in the policy to scan it"))
                } else {
                    files.append(DiscoveredFile(path: childRelative, absolutePath: absolute + "/" + child.name))
                }
            }
        }
        files.sort { $0.path < $1.path }
        return (files, skipped.sorted(), compiled.sorted())
    }

    private func isIgnored(_ path: String, isDirectory: Bool, by ignores: [GitIgnore]) -> Bool {
        for ignore in ignores.reversed() {
            if let verdict = ignore.verdict(for: path, isDirectory: isDirectory) { return verdict }
        }
        return false
    }
}
