import CanonCore
import SwiftSyntax

/// Names the module of each Swift file by its SwiftPM target: the manifest's `path:` where the manifest
/// spells it out, else the conventional folders (`Sources/<Target>/`, `Tests/<Target>/`, `Plugins/<Target>/`).
/// A file directly in a `Sources/` folder without a manifest is in a target named after the folder holding
/// `Sources/`. A file outside every target is named by its path, as a Python module is (`Scripts/gen.swift`
/// is `Scripts.gen`).
struct SwiftModuleNaming: Sendable {
    /// One target's folder, relative to the scan root, and its name.
    struct TargetFolder: Sendable, Hashable {
        let folder: String
        let name: String
    }

    /// Folders that hold one folder per target, by SwiftPM's conventions.
    static let conventionalParents: Set<String> = ["Sources", "Source", "src", "srcs", "Tests", "Plugins", "Snippets"]

    /// The folders of the packages in the project (`""` for the scan root), deepest first.
    let packages: [String]
    /// Target folders the manifests declare, longest first.
    let targets: [TargetFolder]

    init(project: ProjectLayout, handles: (String) -> Bool) {
        var folders: Set<String> = []
        for path in project.paths where handles(path) {
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                if !folders.insert(String(folder)).inserted { break }
            }
            folders.insert("")
        }
        var packages: [String] = []
        var targets: [TargetFolder] = []
        for folder in folders.sorted() {
            let manifestPath = folder.isEmpty ? "Package.swift" : folder + "/Package.swift"
            guard let manifest = project.read(manifestPath) else { continue }
            packages.append(folder)
            for target in PackageManifest.targets(in: manifest) {
                let inside = target.path ?? Self.defaultFolder(of: target, in: folder, paths: project.paths)
                let joined = folder.isEmpty ? inside : folder + "/" + inside
                targets.append(TargetFolder(folder: Self.normalized(joined), name: target.name))
            }
        }
        self.packages = packages.sorted { $0.count > $1.count }
        self.targets = targets.sorted { $0.folder.count > $1.folder.count }
    }

    /// The module of the Swift file at `path`.
    func module(forPath path: String) -> String {
        if let target = targets.first(where: { $0.folder.isEmpty || path.hasPrefix($0.folder + "/") }) {
            return target.name
        }
        let package = packages.first { $0.isEmpty || path.hasPrefix($0 + "/") }
        let inside = package.map { $0.isEmpty ? Substring(path) : path.dropFirst($0.count + 1) } ?? Substring(path)
        let parts = inside.split(separator: "/")
        if parts.count > 2, Self.conventionalParents.contains(String(parts[0])) { return String(parts[1]) }
        if package == nil, let index = parts.dropLast(2).lastIndex(where: { Self.conventionalParents.contains(String($0)) }) {
            return String(parts[index + 1])
        }
        // `Demo/Sources/File.swift` without a readable manifest: one target whose sources are `Sources/`.
        if parts.count >= 3, parts[parts.count - 2] == "Sources" { return String(parts[parts.count - 3]) }
        var dotted = path.split(separator: "/").map(String.init)
        dotted[dotted.count - 1] = String(dotted[dotted.count - 1].dropLast(".swift".count))
        return dotted.joined(separator: ".")
    }

    /// Where SwiftPM looks for a target that names no `path:`: the first conventional folder that holds files.
    private static func defaultFolder(of target: PackageManifest.Target, in package: String, paths: [String]) -> String {
        let parents: [String] =
            switch target.kind {
            case .test: ["Tests", "Sources", "Source", "src", "srcs"]
            case .plugin: ["Plugins"]
            case .regular: ["Sources", "Source", "src", "srcs"]
            }
        let prefix = package.isEmpty ? "" : package + "/"
        for parent in parents {
            let folder = parent + "/" + target.name
            if paths.contains(where: { $0.hasPrefix(prefix + folder + "/") }) { return folder }
        }
        return parents[0] + "/" + target.name
    }

    /// `a/./b/` as `a/b`.
    private static func normalized(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}

/// What Canon reads from a `Package.swift` without running it: the targets whose name (and path) are string
/// literals in `.target(...)`-like calls.
enum PackageManifest {
    struct Target: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case regular
            case test
            case plugin
        }

        let name: String
        /// The `path:` argument, relative to the package folder.
        let path: String?
        let kind: Kind
    }

    static let factories: [String: Target.Kind] = [
        "target": .regular, "executableTarget": .regular, "macro": .regular, "systemLibrary": .regular,
        "testTarget": .test, "plugin": .plugin,
    ]

    static func targets(in manifest: [UInt8]) -> [Target] {
        let tree = SwiftFacts.parse(manifest)
        let finder = TargetFinder(viewMode: .sourceAccurate)
        finder.walk(tree)
        return finder.targets
    }

    private final class TargetFinder: SyntaxVisitor {
        var targets: [Target] = []

        override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
            guard let member = node.calledExpression.as(MemberAccessExprSyntax.self),
                let kind = PackageManifest.factories[member.declName.baseName.text],
                member.base == nil || member.base?.trimmedDescription == "Target",
                let name = literal(node, "name")
            else { return .visitChildren }
            targets.append(Target(name: name, path: literal(node, "path"), kind: kind))
            return .visitChildren
        }

        /// The value of the argument labelled `label` when it is a plain string literal.
        private func literal(_ call: FunctionCallExprSyntax, _ label: String) -> String? {
            guard let argument = call.arguments.first(where: { $0.label?.text == label }),
                let string = argument.expression.as(StringLiteralExprSyntax.self),
                string.segments.count == 1, let segment = string.segments.first?.as(StringSegmentSyntax.self)
            else { return nil }
            return segment.content.text
        }
    }
}
