import CanonPolicy

/// What stops a scan before it starts. Per-file problems are not errors of the engine: they are `FileError`s
/// in the result, and the scan goes on.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case pathNotFound(String)
    case pathOutsideRoot(path: String, root: String)
    case policy(PolicyError)
    /// The scan's monitor asked it to stop.
    case cancelled

    public var description: String {
        switch self {
        case .pathNotFound(let path):
            "'\(path)' does not exist; give a file or folder to scan"
        case .pathOutsideRoot(let path, let root):
            "'\(path)' is outside the scan root '\(root)'; scan it from its own project"
        case .policy(let error):
            error.description
        case .cancelled:
            "the scan was cancelled before it finished; run it again for results"
        }
    }
}
