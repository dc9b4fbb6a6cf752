/// Dotted module names (`a.b.c`), read by UTF-8 code unit: a dot is never part of a longer character, and
/// walking a name's `Character`s costs more than the lookups the parts are wanted for.
public enum DottedName {
    /// The packages above `module`, nearest first: `a.b`, then `a`, for `a.b.c`; none for a name without a dot.
    public static func packages(of module: String) -> Packages { Packages(module: module) }

    /// The first name of `module`: `a` for `a.b.c`, the whole of a name without a dot.
    public static func top(of module: String) -> Substring {
        module[..<(module.utf8.firstIndex(of: UInt8(ascii: ".")) ?? module.utf8.endIndex)]
    }

    /// The packages above a module, nearest first, as slices of its name (see `packages(of:)`).
    public struct Packages: Sequence, IteratorProtocol, Sendable {
        private let module: String
        private var end: String.Index

        init(module: String) {
            self.module = module
            end = module.endIndex
        }

        /// The next package up, or nil past the top one.
        public mutating func next() -> Substring? {
            guard let dot = module.utf8[..<end].lastIndex(of: UInt8(ascii: ".")) else { return nil }
            end = dot
            return module[..<dot]
        }
    }
}
