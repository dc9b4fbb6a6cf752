import CanonCore
import CanonEngine
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes fixed files in place: only files inside the scan root that are regular, writable by their mode and
/// unchanged since they were read; each through a temporary file beside it and a rename, with its permissions.
enum FileWriter {
    static func write(_ rewrite: FileRewrite, root: URL) -> FixFailure? {
        let url = root.appendingPathComponent(rewrite.path)
        let path = url.path
        guard ScanRoot.relativePath(of: url, to: root) != nil else {
            return FixFailure("resolves to a place outside the scan root '\(root.path)'; left as it is")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return FixFailure("cannot be read: \(String(cString: strerror(errno))); left as it is") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return FixFailure("is not a regular file (a symbolic link?); fix the file it stands for, it is left as it is")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o222 != 0 else { return FixFailure("is read-only; make it writable to fix it, it is left as it is") }
        guard let current = FileManager.default.contents(atPath: path), [UInt8](current) == rewrite.originalBytes else {
            return FixFailure("changed since it was read; left as it is, run canon fix again")
        }
        let folder = url.deletingLastPathComponent().path
        let temporary = "\(folder)/.\(url.lastPathComponent).canon-fix-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            return FixFailure("cannot be replaced: no temporary file in its folder (\(String(cString: strerror(errno)))); left as it is")
        }
        var failure = rewrite.fixedBytes.withUnsafeBytes { FileOutput.writeAll($0, to: descriptor) }.map { String(cString: strerror($0)) }
        if failure == nil && fchmod(descriptor, mode) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil && getuid() == 0 { _ = fchown(descriptor, info.st_uid, info.st_gid) }
        if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            return FixFailure("cannot be written: \(failure); left as it is")
        }
        return nil
    }
}
