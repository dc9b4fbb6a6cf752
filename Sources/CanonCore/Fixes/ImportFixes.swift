extension DetectionContext {
    /// The fix for an import that takes `name` from `source`, written at `clause` of `statement` in the file
    /// at `path`, when it should take it from `target`: a move when `target` binds the same object (under its
    /// own name or another), else the reason there is none.
    ///
    /// - Parameters:
    ///   - isAttributeUse: The site reads `m.name` after `import source as m` rather than importing the name.
    public func importFix(
        path: String, clause: SourceRange, statement: SourceRange, source: String, name: String, target: String?,
        isAttributeUse: Bool = false
    ) -> Fixability {
        if isAttributeUse {
            return .unfixable(
                reason: "the name is read as an attribute of a module imported whole; Canon rewrites only 'from' imports, not the uses of a module")
        }
        if name == "*" {
            return .unfixable(reason: "a star import binds every name the module exports; write the names it needs first")
        }
        guard let target, target != source else {
            return .unfixable(reason: "no other module is known to bind '\(name)'")
        }
        if target.hasPrefix(".") || source.hasPrefix(".") {
            return .unfixable(reason: "the relative import climbs above the top-level package")
        }
        let origin = index.resolve(name, in: source).origin
        let targetName: String?
        switch origin {
        case .definition(let site): targetName = index.symbols.boundName(for: site, in: target)
        case .external, .module: targetName = index.resolve(name, in: target).origin == origin ? name : nil
        case .missing, .dynamic, .cycle:
            return .unfixable(reason: "Canon cannot tell statically what '\(name)' of \(source) is")
        }
        guard let targetName else {
            return .unfixable(reason: "\(target) does not bind '\(name)' to the same object as \(source)")
        }
        return .move(
            ImportMove(
                path: path, clause: clause, statement: statement, source: source, name: name, target: target,
                targetName: targetName))
    }

    /// The fix for a plain import (`import a.shim [as m]`): none, since the module it binds is used by
    /// attribute and those uses would have to change with it.
    public static var plainImportFix: Fixability {
        .unfixable(reason: "a plain import binds the module itself; rewriting it would mean rewriting every use of it")
    }
}
