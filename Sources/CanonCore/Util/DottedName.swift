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
        /// The UTF-8 offset where the last package returned ends.
        private var end: Int

        init(module: String) {
            self.module = module
            end = module.utf8.count
        }

        /// The next package up, or nil past the top one.
        public mutating func next() -> Substring? {
            let utf8 = module.utf8
            let limit = end
            // On contiguous storage, a plain backwards scan: the view's own `lastIndex` checks every index it
            // steps through.
            let found =
                utf8.withContiguousStorageIfAvailable { bytes -> Int? in
                    var k = limit
                    while k > 0 {
                        k -= 1
                        if bytes[k] == UInt8(ascii: ".") { return k }
                    }
                    return nil
                }
                ?? utf8.prefix(limit).lastIndex(of: UInt8(ascii: ".")).map { utf8.distance(from: utf8.startIndex, to: $0) }
            guard let found else { return nil }
            end = found
            return module[..<utf8.index(utf8.startIndex, offsetBy: found)]
        }
    }
}
