/// Dotted module names (`a.b.c`), read by UTF-8 code unit: a dot is never part of a longer character, and
/// walking a name's `Character`s costs more than the lookups the parts are wanted for.
public enum DottedName {
    /// Calls `body` with each package above `module`, nearest first: `a.b`, then `a`, for `a.b.c`.
    public static func forEachPackage(of module: String, _ body: (Substring) -> Void) {
        let utf8 = module.utf8
        var end = utf8.endIndex
        while let dot = utf8[..<end].lastIndex(of: UInt8(ascii: ".")) {
            body(module[..<dot])
            end = dot
        }
    }

    /// The first name of `module`: `a` for `a.b.c`, the whole of a name without a dot.
    public static func top(of module: String) -> Substring {
        module[..<(module.utf8.firstIndex(of: UInt8(ascii: ".")) ?? module.utf8.endIndex)]
    }
}
