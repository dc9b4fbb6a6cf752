/// A language front end: it recognises the files it reads, names their modules, and turns one file into
/// `FileFacts`.
///
/// The engine gives each discovered file to the first front end in its list that handles the path; files no
/// front end handles are skipped silently, so a policy may include globs of languages a build does not read.
/// Module naming differs per language (Python names modules by path, Swift by SwiftPM target), so a front
/// end first looks at the whole project once per scan, in `reader(for:)`, and the reader it returns names
/// and parses each file.
public protocol FrontEnd: Sendable {
    /// The language this front end reads.
    var language: SourceLanguage { get }

    /// Whether this front end reads the file at `path` (relative to the scan root, `/`-separated).
    func handles(path: String) -> Bool

    /// Prepares to read the files of one project, reading what module naming needs (such as package
    /// manifests) once.
    func reader(for project: ProjectLayout) -> any SourceReader
}

/// Reads files of one project for one front end: what `FrontEnd.reader(for:)` returns.
public protocol SourceReader: Sendable {
    /// The facts of one file, given its bytes and its path relative to the scan root.
    ///
    /// The bytes are the reader's: a caller that passes them as its last use of them lets a front end change
    /// them in place, without a copy (the Python front end pads them with zeros, in the room the engine's
    /// reader leaves: `SourceBytes.paddingRoom`).
    func facts(source: consuming [UInt8], path: String) throws(SourceError) -> FileFacts
}

/// What a front end may count on of the bytes the engine reads for it.
public enum SourceBytes {
    /// How many bytes of room past a file's end the engine leaves in the array it reads the file into: enough
    /// for a front end that reads a few bytes past the end to pad the bytes in place.
    public static let paddingRoom = 8
}

/// A file that a front end could not read: where, and why.
public struct SourceError: Error, Sendable, Hashable {
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem, in code points.
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}

/// What a front end may look at before reading files: the project's files, its declared source roots, and a
/// way to read any file under the scan root (package manifests, `__init__.py` markers).
public struct ProjectLayout: Sendable {
    /// Every file the scan will read (all languages), relative to the scan root, sorted.
    public var paths: [String]
    /// Source roots the policy declares (`roots:`), relative to the scan root.
    public var roots: [String]
    /// The scan root's folder name (a Python package when the root holds an `__init__.py`); nil when the
    /// files are in memory and the root has no name.
    public var rootName: String?
    private let reader: @Sendable (String) -> [UInt8]?

    /// A layout whose files are read through `read`, which takes a path relative to the scan root and returns
    /// nil when there is no such file.
    public init(
        paths: [String], roots: [String] = [], rootName: String? = nil,
        read: @escaping @Sendable (String) -> [UInt8]?
    ) {
        self.paths = paths
        self.roots = roots
        self.rootName = rootName
        self.reader = read
    }

    /// The bytes of the file at `path` (relative to the scan root), or nil when there is none. The file need
    /// not be one of `paths`: a manifest may be excluded from the scan and still name the targets.
    public func read(_ path: String) -> [UInt8]? { reader(path) }
}
