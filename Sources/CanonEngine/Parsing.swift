import CanonCore
import CanonPython

extension Engine {
    /// What becomes of one file: its facts, a syntax error, or a notice that it was passed over.
    enum Outcome: Sendable {
        case facts(FileFacts)
        case error(FileError)
        case skipped(SkippedFile)
    }

    static func parse(_ bytes: [UInt8], path: String, naming: ModuleNaming) -> Outcome {
        if bytes.prefix(8192).contains(0) {
            return .skipped(SkippedFile(path: path, reason: "binary file (it holds a NUL byte)"))
        }
        let (module, isPackage) = naming.module(forPath: path)
        do {
            return .facts(
                try PythonFrontEnd.facts(
                    source: bytes, path: path, module: module, isPackage: isPackage, isStub: path.hasSuffix(".pyi")))
        } catch {
            return .error(FileError(path: path, line: error.line, column: error.column, message: error.message))
        }
    }
}
