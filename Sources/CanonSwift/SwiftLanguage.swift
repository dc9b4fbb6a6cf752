import CanonCore

/// The Swift front end: `.swift` files parsed with swift-syntax, each file's module being its SwiftPM target.
///
/// Add it to a registry (`Registry(detectors, frontEnds: [PythonLanguage(), SwiftLanguage()])`) or a
/// `ScanRequest` to scan Swift; the `Canon` module's built-in registry has it.
public struct SwiftLanguage: FrontEnd {
    public init() {}

    public var language: SourceLanguage { .swift }

    /// Swift files, except those in a documentation catalog (`*.docc/`), whose snippets are not compiled.
    public func handles(path: String) -> Bool {
        path.hasSuffix(".swift") && !path.split(separator: "/").dropLast().contains { $0.hasSuffix(".docc") }
    }

    public func reader(for project: ProjectLayout) -> any SourceReader {
        Reader(naming: SwiftModuleNaming(project: project, handles: handles(path:)))
    }

    struct Reader: SourceReader {
        let naming: SwiftModuleNaming

        func facts(source: consuming [UInt8], path: String) throws(SourceError) -> FileFacts {
            try SwiftFacts.facts(source: source, path: path, module: naming.module(forPath: path))
        }
    }
}
