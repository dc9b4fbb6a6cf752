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
    /// What `stat` said of it during the walk, for the cache to tell an unchanged file without reading it.
    let stamp: FileStamp
}

/// Walks the scan root: honours `.gitignore` files (nested ones too), skips tool and environment folders,
/// applies the policy's include and exclude globs, follows symlinks without looping, and passes over files
/// that are too large.
///
/// Each folder is opened once and listed with the kinds the file system gives (`FolderListing`), so only the
/// files the include globs keep (and symlinks) are `stat`ed; a virtual environment is recognised by `pyvenv.cfg`
/// in its own listing, and `.gitignore` is read only where the listing has one.
struct Discovery: Sendable {
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

    private struct Entry {
        let name: String
        /// `DT_DIR`, `DT_REG`, or `DT_LNK`/`DT_UNKNOWN` when it has to be `stat`ed to tell.
        let type: UInt8
    }

    /// Suffixes of compiled Python modules: never parsed, but importable, so imports of them resolve.
    static let compiledSuffixes = [".pyx", ".so", ".pyd"]

    /// Walks the tree on `jobs` threads; `found`, when given, is called with each file to scan as the walk comes
    /// to it (from any of the threads, in no set order).
    ///
    /// Folders are listed on every thread: listing is mostly system calls, and a warm scan of a large tree
    /// waited on it, one core idle. The result does not depend on the threads: when two paths lead to one
    /// folder (symlinks), the walk keeps the one met first in the order of a walk on one thread, so a walk on
    /// several threads that meets a folder twice is done again on one. `found` is then not called again: it may
    /// have been given files under the other path, and not every file of the result.
    func run(
        jobs: Int = 1, found: @Sendable (DiscoveredFile) -> Void = { _ in }
    ) -> (files: [DiscoveredFile], skipped: [SkippedFile], compiled: [String]) {
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        let visited = Locked(Set<FolderIdentity>())
        func walk(jobs: Int, found: @Sendable (DiscoveredFile) -> Void) -> [Walked] {
            visited.withLock { $0 = [] }
            return concurrentExpand([Folder(absolute: rootPath, relative: "", ignores: [])], jobs: jobs, state: { Walked() }) {
                walked, folder in
                list(folder, into: &walked, visited: visited, found: found)
            }
        }
        var walked = walk(jobs: jobs, found: found)
        if jobs > 1, walked.contains(where: \.metFolderTwice) { walked = walk(jobs: 1, found: { _ in }) }
        var files: [DiscoveredFile] = []
        var skipped: [SkippedFile] = []
        var compiled: [String] = []
        for part in walked {
            files.append(contentsOf: part.files)
            skipped.append(contentsOf: part.skipped)
            compiled.append(contentsOf: part.compiled)
        }
        files.sort { $0.path < $1.path }
        return (files, skipped.sorted(), compiled.sorted())
    }

    /// A folder to list: where it is, and the `.gitignore` files above it.
    private struct Folder: Sendable {
        let absolute: String
        let relative: String
        let ignores: [GitIgnore]
    }

    /// What one thread of the walk found.
    private struct Walked {
        var files: [DiscoveredFile] = []
        var skipped: [SkippedFile] = []
        var compiled: [String] = []
        /// Whether a folder came up that had been listed already, under another path or the same (a symlink).
        var metFolderTwice = false
    }

    /// Lists `folder`, adding the files to scan to `walked` (and passing each to `found`), and returns the
    /// folders in it to walk, last name first. A folder already `visited` is not listed again.
    private func list(
        _ folder: Folder, into walked: inout Walked, visited: Locked<Set<FolderIdentity>>, found: (DiscoveredFile) -> Void
    ) -> [Folder] {
        let (absolute, relative) = (folder.absolute, folder.relative)
        let descriptor = open(absolute, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            walked.skipped.append(SkippedFile(path: relative, reason: "cannot be listed: \(String(cString: strerror(errno)))"))
            return []
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            return []
        }
        let identity = FolderIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        guard visited.withLock({ $0.insert(identity).inserted }) else {
            walked.metFolderTwice = true
            close(descriptor)
            return []
        }
        defer { close(descriptor) }
        var entries: [Entry] = []
        var hasGitIgnore = false
        var isVirtualEnvironment = false
        FolderListing.forEachEntry(of: descriptor) { name, type in
            if name == "." || name == ".." { return }
            if name == ".gitignore" { hasGitIgnore = true }
            if name == "pyvenv.cfg" { isVirtualEnvironment = true }
            entries.append(Entry(name: name, type: type))
        }
        // The root is scanned whatever it holds; a folder below it with `pyvenv.cfg` is an environment.
        if isVirtualEnvironment && !relative.isEmpty { return [] }
        var ignores = folder.ignores
        if hasGitIgnore, case .success(let bytes) = FileReader.read(at: descriptor, name: ".gitignore") {
            ignores.append(GitIgnore(base: relative, text: String(decoding: bytes, as: UTF8.self)))
        }
        entries.sort { $0.name > $1.name }
        var folders: [Folder] = []
        for entry in entries {
            var isDirectory = entry.type == UInt8(DT_DIR)
            var childInfo: stat?
            if entry.type != UInt8(DT_DIR) && entry.type != UInt8(DT_REG) {
                var resolved = stat()
                guard fstatat(descriptor, entry.name, &resolved, 0) == 0 else { continue }
                let kind = resolved.st_mode & S_IFMT
                guard kind == S_IFDIR || kind == S_IFREG else { continue }
                isDirectory = kind == S_IFDIR
                childInfo = resolved
            }
            let childRelative = relative.isEmpty ? entry.name : Self.join(relative, entry.name)
            if isDirectory {
                if Self.skippedFolders.contains(entry.name) { continue }
            } else if !Self.anyMatches(include, childRelative) || !reads(childRelative) {
                if Self.compiledSuffixes.contains(where: { entry.name.hasSuffix($0) }),
                    !isIgnored(childRelative, isDirectory: false, by: ignores),
                    !Self.anyMatches(exclude, childRelative)
                {
                    walked.compiled.append(childRelative)
                }
                continue
            }
            if isIgnored(childRelative, isDirectory: isDirectory, by: ignores) { continue }
            if Self.anyMatches(exclude, childRelative, isDirectory: isDirectory) { continue }
            let childAbsolute = Self.join(absolute, entry.name)
            if isDirectory {
                folders.append(Folder(absolute: childAbsolute, relative: childRelative, ignores: ignores))
                continue
            }
            if childInfo == nil {
                var resolved = stat()
                guard fstatat(descriptor, entry.name, &resolved, 0) == 0 else {
                    walked.skipped.append(SkippedFile(path: childRelative, reason: "cannot be read: \(String(cString: strerror(errno)))"))
                    continue
                }
                childInfo = resolved
            }
            let stamp = FileStamp(childInfo!)
            if stamp.size > maxFileSize {
                walked.skipped.append(
                    SkippedFile(
                        path: childRelative,
                        reason: "\(stamp.size) bytes is over max_file_size (\(maxFileSize)); raise it in the policy to scan it"))
            } else {
                let file = DiscoveredFile(path: childRelative, absolutePath: childAbsolute, stamp: stamp)
                walked.files.append(file)
                found(file)
            }
        }
        return folders
    }

    /// A folder the walk has listed, by device and inode, so that a symlink back up the tree is not followed.
    private struct FolderIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Whether one of `globs` matches `path`, each asked in place: through `contains(where:)`, each glob (three
    /// arrays and a string) was copied out of the list for every file of the tree.
    private static func anyMatches(_ globs: [Glob], _ path: String, isDirectory: Bool = false) -> Bool {
        for index in globs.indices where globs[index].matches(path, isDirectory: isDirectory) { return true }
        return false
    }

    /// `folder/name`, made in one allocation (`folder + "/" + name` allocates twice), for every entry of the tree.
    static func join(_ folder: String, _ name: String) -> String { DottedName.concatenate(folder, "/", name) }

    private func isIgnored(_ path: String, isDirectory: Bool, by ignores: [GitIgnore]) -> Bool {
        for ignore in ignores.reversed() {
            if let verdict = ignore.verdict(for: path, isDirectory: isDirectory) { return verdict }
        }
        return false
    }
}

/// The entries of an open folder, with the kinds the file system gives.
enum FolderListing {
    /// Calls `body` with each entry's name and kind (`DT_DIR`, `DT_REG`, `DT_LNK`, `DT_UNKNOWN`...) of the folder
    /// open at `descriptor`, `.` and `..` among them; the descriptor is left open and is the caller's to close.
    ///
    /// On Linux the entries are read with `getdents64` into a buffer on the stack: `fdopendir` adds an `fstat`
    /// and two `fcntl`s to each folder and a 32 KiB buffer on the heap, a third of the system calls of a scan with
    /// nothing to parse. Elsewhere, or with a C library without `getdents64` (before glibc 2.30), `readdir`.
    static func forEachEntry(of descriptor: Int32, _ body: (String, UInt8) -> Void) {
        #if os(Linux)
            if let getdents64 = getdents64Function {
                withUnsafeTemporaryAllocation(byteCount: bufferSize, alignment: 8) { buffer in
                    let base = buffer.baseAddress!
                    while true {
                        let filled = getdents64(descriptor, base, bufferSize)
                        guard filled > 0 else { return }
                        var offset = 0
                        while offset < filled {
                            // struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), d_name.
                            let record = base + offset
                            let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                            guard length > 0 else { return }
                            let type = record.load(fromByteOffset: 18, as: UInt8.self)
                            let name = (record + 19).assumingMemoryBound(to: UInt8.self)
                            body(String(decoding: UnsafeBufferPointer(start: name, count: strlen(name)), as: UTF8.self), type)
                            offset += length
                        }
                    }
                }
                return
            }
        #endif
        let copy = dup(descriptor)
        guard copy >= 0, let directory = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            body(name, entry.pointee.d_type)
        }
    }

    #if os(Linux)
        private static let bufferSize = 32 << 10
        private typealias GetDents64 = @convention(c) (Int32, UnsafeMutableRawPointer, Int) -> Int
        /// glibc's `getdents64` (2.30 and later), looked up because Swift's Glibc module leaves it out (it is
        /// declared for `_GNU_SOURCE` only); nil in a C library without it.
        private static let getdents64Function: GetDents64? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getdents64") else { return nil }
            return unsafeBitCast(symbol, to: GetDents64.self)
        }()
    #endif
}
