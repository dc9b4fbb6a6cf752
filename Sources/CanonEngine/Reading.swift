import CanonCore
import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
#endif

/// What `stat` says of a file that tells whether it changed: size, modification time and inode.
public struct FileStamp: Sendable, Hashable {
    public var size: Int
    /// Nanoseconds since 1970.
    public var modified: Int64
    public var inode: UInt64

    public init(size: Int, modified: Int64, inode: UInt64) {
        self.size = size
        self.modified = modified
        self.inode = inode
    }

    init(_ info: stat) {
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        self.init(size: Int(info.st_size), modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec), inode: UInt64(info.st_ino))
    }
}

/// Reads whole files into bytes with as few system calls as their size allows.
enum FileReader {
    struct Failure: Error {
        let reason: String
    }

    /// Reads the file at `path`; `size`, when given, is what the walk's `stat` said of it, so the file is not
    /// `stat`ed again (one system call less for each file of a scan). Any size reads the whole file: one that
    /// grew since is read on in chunks, one that shrank to its end.
    static func read(_ path: String, size: Int? = nil) -> Result<[UInt8], Failure> {
        read(descriptor: open(path, O_RDONLY | O_CLOEXEC), size: size)
    }

    /// Reads the file `name` in the folder open as `folder`.
    static func read(at folder: Int32, name: String) -> Result<[UInt8], Failure> {
        read(descriptor: openat(folder, name, O_RDONLY | O_CLOEXEC), size: nil)
    }

    private static func read(descriptor: Int32, size: Int?) -> Result<[UInt8], Failure> {
        guard descriptor >= 0 else { return .failure(failure()) }
        defer { close(descriptor) }
        let known: Int
        if let size {
            known = size
        } else {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { return .failure(failure()) }
            known = Int(info.st_size)
        }
        // One byte more than the size, so that a file that has not grown is read to its end in one call; into
        // memory not zeroed first, since the read fills it (a file that grew is read on in chunks). With room
        // past it for a front end to pad the bytes in place (`SourceBytes.paddingRoom`).
        var bytes: [UInt8] = []
        var chunk = max(0, known) + 1
        while true {
            var failed = false
            let chunkBytes = [UInt8](unsafeUninitializedCapacity: chunk + SourceBytes.paddingRoom) { buffer, initialized in
                initialized = 0
                while initialized < chunk {
                    let count = systemRead(descriptor, buffer.baseAddress! + initialized, chunk - initialized)
                    if count < 0 && errno == EINTR { continue }
                    if count < 0 { failed = true }
                    if count <= 0 { break }
                    initialized += count
                }
            }
            if failed { return .failure(failure()) }
            let full = chunkBytes.count == chunk
            if bytes.isEmpty { bytes = chunkBytes } else { bytes.append(contentsOf: chunkBytes) }
            if !full { break }
            chunk = max(4096, bytes.count)
        }
        return .success(bytes)
    }

    private static func failure() -> Failure {
        Failure(reason: "cannot be read: \(String(cString: strerror(errno)))")
    }
}
