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
    var factsDeltaFile: URL { folder.appendingPathComponent("facts.delta") }
    var findingsFile: URL { folder.appendingPathComponent("findings.bin") }

    /// The file's bytes, mapped, or nil when it does not exist or cannot be read (or is empty).
    func read(_ file: URL) -> CacheBytes? { CacheBytes(mapping: file.path) }

    /// Replaces `file` atomically with a cache file (`CacheFile`): the header for `magic` and `key`, then the
    /// payload `produce` writes, a block at a time; false when the folder cannot be made or written.
    @discardableResult
    func write(to file: URL, magic: StaticString, key: ContentHash, payload produce: (inout PayloadWriter) -> Void) -> Bool {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            return false
        }
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max))")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        var writer = PayloadWriter(sink: FileSink(descriptor: descriptor))
        CacheFile.write(magic: magic, build: build, key: key, to: &writer, payload: produce)
        close(descriptor)
        guard writer.sink.ok, FileOutput.replace(file.path, with: temporary.path) == nil else {
            unlink(temporary.path)
            return false
        }
        return true
    }
}

/// An open file being written from its start; `ok` turns false at the first failed write, and later writes
/// do nothing.
struct FileSink {
    let descriptor: Int32
    private(set) var ok = true

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Appends `bytes`.
    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard ok else { return }
        if FileOutput.writeAll(bytes, to: descriptor) != nil { ok = false }
    }

    /// Writes `bytes` over what was written at `position`, leaving the end where it is.
    mutating func overwrite(_ bytes: [UInt8], at position: Int) {
        guard ok else { return }
        ok = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(position)) == $0.count }
    }
}

/// The framing shared by the cache's files: a magic word, the build that wrote it, a key, a checksum, and the
/// payload, which runs to the end of the file. Anything that does not match is treated as absent.
///
/// The checksum is the hash of the hashes of the payload's blocks of `blockSize` bytes, so a payload can be
/// written a block at a time, never whole in memory, and the checksum filled in at the end.
enum CacheFile {
    static let blockSize = 1 << 20

    /// The checksum of `payload`: the hash of its blocks' hashes.
    static func checksum(of payload: UnsafeRawBufferPointer) -> ContentHash {
        var hashes = ByteWriter(capacity: 16 * (payload.count / blockSize + 1))
        for start in stride(from: 0, to: payload.count, by: blockSize) {
            let block = ContentHash.of(UnsafeRawBufferPointer(rebasing: payload[start..<min(start + blockSize, payload.count)]))
            hashes.hash(block)
        }
        return ContentHash.of(hashes)
    }

    /// Writes a cache file through `writer`, whose file is empty: the header, then the payload that `produce`
    /// writes into it, flushed a block at a time (call `flush` now and then), then the checksum in its place.
    static func write(
        magic: StaticString, build: String, key: ContentHash, to writer: inout PayloadWriter, payload produce: (inout PayloadWriter) -> Void
    ) {
        var header = ByteWriter(capacity: 128)
        header.raw(UnsafeRawBufferPointer(start: magic.utf8Start, count: magic.utf8CodeUnitCount))
        header.string(build)
        header.hash(key)
        let checksumAt = header.count
        header.fixed64(0)
        header.fixed64(0)
        header.withUnsafeBytes { writer.sink.write($0) }
        produce(&writer)
        let checksum = writer.finish()
        var trailer = ByteWriter(capacity: 16)
        trailer.hash(checksum)
        writer.sink.overwrite(trailer.bytes, at: checksumAt)
    }

    /// The payload's range in `bytes`, the key it was written under and its checksum, when the magic and build
    /// match and the checksum holds.
    static func unwrap(
        _ bytes: UnsafeRawBufferPointer, magic: StaticString, build: String
    ) -> (payload: Range<Int>, key: ContentHash, checksum: ContentHash)? {
        var r = ByteReader(bytes)
        do throws(CorruptCache) {
            let word = try r.bytes(magic.utf8CodeUnitCount)
            guard word.elementsEqual(UnsafeRawBufferPointer(start: magic.utf8Start, count: magic.utf8CodeUnitCount)),
                try r.string() == build
            else { return nil }
            let key = try r.hash()
            let expected = try r.hash()
            let payload = r.offset..<bytes.count
            guard checksum(of: UnsafeRawBufferPointer(rebasing: bytes[payload])) == expected else { return nil }
            return (payload, key, expected)
        } catch {
            return nil
        }
    }
}

/// Where a cache file's payload is written: a buffer (`w`) that `flush` empties into the file a whole block
/// at a time, hashing each block for the checksum.
struct PayloadWriter: ~Copyable {
    var w = ByteWriter(capacity: CacheFile.blockSize * 2)
    fileprivate(set) var sink: FileSink
    private var hashes = ByteWriter(capacity: 1024)

    fileprivate init(sink: FileSink) {
        self.sink = sink
    }

    /// Writes out every whole block the buffer holds.
    mutating func flush() {
        guard w.count >= CacheFile.blockSize else { return }
        let whole = w.count / CacheFile.blockSize * CacheFile.blockSize
        w.withUnsafeBytes { buffer in
            for start in stride(from: 0, to: whole, by: CacheFile.blockSize) {
                Self.emit(UnsafeRawBufferPointer(rebasing: buffer[start..<(start + CacheFile.blockSize)]), &hashes, &sink)
            }
        }
        w.removeFirst(whole)
    }

    private static func emit(_ block: UnsafeRawBufferPointer, _ hashes: inout ByteWriter, _ sink: inout FileSink) {
        let hash = ContentHash.of(block)
        hashes.hash(hash)
        sink.write(block)
    }

    /// Writes out what is left and returns the checksum.
    fileprivate mutating func finish() -> ContentHash {
        flush()
        if !w.isEmpty {
            w.withUnsafeBytes { Self.emit($0, &hashes, &sink) }
            w.removeAll()
        }
        return ContentHash.of(hashes)
    }
}
