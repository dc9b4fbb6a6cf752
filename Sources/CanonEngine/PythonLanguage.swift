import CanonCore
import CanonPython

/// The Python front end as the engine plugs it in: `.py` and `.pyi` files, modules named by path below the
/// source roots.
public struct PythonLanguage: FrontEnd {
    public init() {}

    public var language: SourceLanguage { .python }

    public func handles(path: String) -> Bool { path.hasSuffix(".py") || path.hasSuffix(".pyi") }

    public func reader(for project: ProjectLayout) -> any SourceReader {
        let rootIsPackage = project.roots.isEmpty && project.rootName != nil && project.read("__init__.py") != nil
        return Reader(naming: ModuleNaming(rootPackage: rootIsPackage ? project.rootName : nil, roots: project.roots))
    }

    struct Reader: SourceReader {
        let naming: ModuleNaming

        func facts(source: consuming [UInt8], path: String) throws(SourceError) -> FileFacts {
            let (module, isPackage) = naming.module(forPath: path)
            return try PythonFrontEnd.facts(
                source: consume source, path: path, module: module, isPackage: isPackage, isStub: path.hasSuffix(".pyi"))
        }
    }
}
