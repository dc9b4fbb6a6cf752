import Foundation

/// Finds the folder a scan is rooted at, to which every reported path and module name is relative.
public enum ScanRoot {
    /// The folder of the nearest `.canon.yml` walking up from `path` (stopping at the git root), else the root
    /// of the git work tree holding `path`, else `path` itself (its folder, for a file).
    public static func locate(for path: URL) -> URL {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let start = path.standardizedFileURL.resolvingSymlinksInPath()
        let exists = manager.fileExists(atPath: start.path, isDirectory: &isDirectory)
        let folder = exists && !isDirectory.boolValue ? start.deletingLastPathComponent() : start
        var current = folder
        var gitRoot: URL?
        while true {
            if manager.fileExists(atPath: current.appendingPathComponent(".canon.yml").path) { return current }
            if manager.fileExists(atPath: current.appendingPathComponent(".git").path) {
                gitRoot = current
                break
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        return gitRoot ?? folder
    }

    /// `url`'s path relative to `root`, `/`-separated; nil when it is not inside `root`. The root itself is `""`.
    public static func relativePath(of url: URL, to root: URL) -> String? {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        if path == base { return "" }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }
}
