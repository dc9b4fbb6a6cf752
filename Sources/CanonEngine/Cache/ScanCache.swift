import CanonCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a scan keeps what it can reuse on the next scan of the same root: every file's facts, keyed by the
/// file's content (checked by size, modification time and inode first, so unchanged files are not even read),
/// and the findings of the last run, keyed by the set of facts and the rules with their options.
///
/// The cache lives outside the scanned tree, one folder per scan root, so read-only checkouts work. Files are
/// replaced atomically (written beside, then renamed), so two scans at once never see half a file; a file
/// that is cut short, fails its checksum or was written by another build of Canon is ignored and rewritten.
/// A cache that cannot be written is not an error: the scan goes on without it.
public struct ScanCache: Sendable {
    /// The folder for one scan root.
    public let folder: URL
    /// What must match for cached facts and findings to be used: Canon's version, the cache format and the
    /// running executable's size and modification time (so a rebuilt Canon, or a team's own executable with
    /// other detectors, never reads what another build wrote).
    let build: String

    /// A cache in `folder`, used as is (for one root).
    public init(folder: URL) {
        self.folder = folder
        self.build = Self.currentBuild
    }

    /// The cache for `root` inside `base` (`--cache-dir`), or inside the default base when `base` is nil:
    /// `$XDG_CACHE_HOME/canon`, else `~/.cache/canon`. Nil when there is no base (no home folder).
    public init?(root: URL, base: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let base = base ?? Self.defaultBase(environment: environment) else { return nil }
        self.init(folder: base.appendingPathComponent(Self.folderName(forRoot: root), isDirectory: true))
    }

    /// `$XDG_CACHE_HOME/canon` when that is an absolute path, else `$HOME/.cache/canon`.
    public static func defaultBase(environment: [String: String]) -> URL? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("canon", isDirectory: true)
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/canon", isDirectory: true)
    }

    /// The root's folder name: its last component (for people looking around) and a hash of its whole path.
    static func folderName(forRoot root: URL) -> String {
        let path = root.standardizedFileURL.resolvingSymlinksInPath().path
        let name = String(root.standardizedFileURL.lastPathComponent.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return (name.isEmpty ? "root" : String(name.prefix(40))) + "-" + String(ContentHash.of(path).high, radix: 16)
    }

    static let currentBuild: String = {
        var info = stat()
        var executable = "/proc/self/exe"
        if stat(executable, &info) != 0, let path = Bundle.main.executablePath {
            executable = path
            if stat(path, &info) != 0 { info = stat() }
        }
        return "canon \(CanonVersion.current) format \(FactsCoding.format) executable \(FileStamp(info).size)/\(FileStamp(info).modified)"
    }()

    var factsFile: URL { folder.appendingPathComponent("facts.bin") }
    var findingsFile: URL { folder.appendingPathComponent("findings.bin") }

    /// The file's bytes, or nil when it does not exist or cannot be read.
    func read(_ file: URL) -> [UInt8]? {
        guard case .success(let bytes) = FileReader.read(file.path) else { return nil }
        return bytes
    }

    /// Replaces `file` with `parts`, one after the other, atomically; false when the folder cannot be made or
    /// written.
    @discardableResult
    func write(_ parts: [UInt8]..., to file: URL) -> Bool {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            return false
        }
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max))")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        let ok = parts.allSatisfy { bytes in
            bytes.withUnsafeBytes { buffer -> Bool in
                var written = 0
                while written < buffer.count {
                    let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    written += count
                }
                return true
            }
        }
        close(descriptor)
        guard ok, rename(temporary.path, file.path) == 0 else {
            unlink(temporary.path)
            return false
        }
        return true
    }
}

/// The framing shared by the cache's files: a magic word, the build that wrote it, a key, and a checksummed
/// payload. Anything that does not match is treated as absent.
enum CacheFile {
    /// The header that goes before `payload` in a cache file: magic, build, key, checksum and length. The two
    /// are written one after the other rather than joined, so a large payload is never copied.
    static func header(magic: StaticString, build: String, key: ContentHash, payload: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        w.raw(UnsafeRawBufferPointer(start: magic.utf8Start, count: magic.utf8CodeUnitCount))
        w.string(build)
        w.fixed64(key.high)
        w.fixed64(key.low)
        let checksum = ContentHash.of(payload)
        w.fixed64(checksum.high)
        w.fixed64(checksum.low)
        w.varint(UInt64(payload.count))
        return w.bytes
    }

    /// The payload's range in `bytes` when the magic, build and key (if given) match and the checksum holds.
    static func unwrap(_ bytes: UnsafeRawBufferPointer, magic: StaticString, build: String, key: ContentHash?) -> Range<Int>? {
        var r = ByteReader(bytes)
        do throws(CorruptCache) {
            let word = try r.bytes(magic.utf8CodeUnitCount)
            guard word.elementsEqual(UnsafeRawBufferPointer(start: magic.utf8Start, count: magic.utf8CodeUnitCount)),
                try r.string() == build
            else { return nil }
            let stored = ContentHash(high: try r.fixed64(), low: try r.fixed64())
            if let key, stored != key { return nil }
            let checksum = ContentHash(high: try r.fixed64(), low: try r.fixed64())
            let length = try r.count()
            let start = r.offset
            let payload = try r.bytes(length)
            guard ContentHash.of(payload) == checksum else { return nil }
            return start..<(start + length)
        } catch {
            return nil
        }
    }
}
