/// Dotted module names (`a.b.c`), read by UTF-8 code unit: a dot is never part of a longer character, and
/// walking a name's `Character`s costs more than the lookups the parts are wanted for.
public enum DottedName {
    /// The packages above `module`, nearest first: `a.b`, then `a`, for `a.b.c`; none for a name without a dot.
    public static func packages(of module: String) -> Packages { Packages(module: module) }

    /// Adds the packages above `module` to `names`, nearest first, up to the first one already there. In a set
    /// whose names' packages were all added this way, that package's own packages are there too: each of
    /// thousands of modules adds one or two, not every one above it again.
    public static func addPackages(of module: String, to names: inout NameSet) {
        for package in packages(of: module) {
            guard names.insert(String(package)) else { return }
        }
    }

    /// The first name of `module`: `a` for `a.b.c`; for a name without a dot, the name itself (the same
    /// string, not a copy). Made from the borrowed bytes: sliced by index and copied out, it cost 400
    /// instructions a name, asked for every import of a project.
    public static func top(of module: String) -> String {
        module.withBorrowedUTF8 { bytes in
            bytes.firstIndex(of: UInt8(ascii: ".")).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[..<$0]), as: UTF8.self) }
        } ?? module
    }

    /// The names between the dots of `dotted`, as `split(separator: ".")` gives them (empty ones left out), read
    /// by UTF-8 code unit: splitting by `Character` cost several hundred instructions a character.
    public static func parts(of dotted: String) -> [Substring] {
        parts(of: dotted[...])
    }

    /// The names between the dots of a slice of a name (see `parts(of:)`).
    public static func parts(of dotted: Substring) -> [Substring] {
        var parts: [Substring] = []
        let utf8 = dotted.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: ".") {
                if start != index { parts.append(dotted[start..<index]) }
                start = utf8.index(after: index)
            }
            utf8.formIndex(after: &index)
        }
        if start != utf8.endIndex { parts.append(dotted[start..<utf8.endIndex]) }
        return parts
    }

    /// `module.name`, made in one allocation: interpolation and `+` append piece by piece, each append checking
    /// capacity and growing, which in the index and rules' hot loops cost several times the lookup the name is
    /// made for.
    public static func join(_ module: String, _ name: String) -> String {
        concatenate(module, ".", name)
    }

    /// `first`, `second` and `third` one after the other, made in one allocation (see `join`).
    public static func concatenate(_ first: String, _ second: String, _ third: String) -> String {
        let count = first.utf8.count + second.utf8.count + third.utf8.count
        return first.withBorrowedUTF8 { a in
            second.withBorrowedUTF8 { b in
                third.withBorrowedUTF8 { c in
                    String(unsafeUninitializedCapacity: count) { buffer in
                        var end = 0
                        func copy(_ part: UnsafeBufferPointer<UInt8>) {
                            guard let base = part.baseAddress, let target = buffer.baseAddress else { return }
                            (target + end).initialize(from: base, count: part.count)
                            end += part.count
                        }
                        copy(a)
                        copy(b)
                        copy(c)
                        return end
                    }
                }
            }
        }
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
