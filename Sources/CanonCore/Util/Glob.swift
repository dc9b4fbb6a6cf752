/// A gitignore-style path pattern: `*` matches within one path segment, `**` across segments, `?` one
/// character, `[abc]`/`[a-z]`/`[!a]` a class. A pattern without a `/` (other than a trailing one) matches a
/// file or folder name at any depth; one with a `/` is anchored at the root. A trailing `/` matches folders only.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let segments: [[UInt8]]
    /// The pattern followed by `**` (by `*/**` for a folder-only pattern): what a path below a match matches.
    private let ancestorSegments: [[UInt8]]
    private let anchored: Bool
    public let directoryOnly: Bool
    /// For a pattern that is `**` and one segment (`**/*.py`, or `*.py` unanchored): that segment, which
    /// only a path's last segment needs to match.
    private let lastSegment: OneSegment?

    public init(_ pattern: String) {
        self.pattern = pattern
        var text = pattern
        directoryOnly = text.hasSuffix("/")
        if directoryOnly { text.removeLast() }
        if text.hasPrefix("/") { text.removeFirst() }
        let parts = text.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        anchored = pattern.dropLast(directoryOnly ? 1 : 0).contains("/")
        segments = anchored ? parts : [Self.doubleStar] + parts
        ancestorSegments = segments + (directoryOnly ? [Array("*".utf8), Self.doubleStar] : [Self.doubleStar])
        lastSegment = segments.count == 2 && segments[0] == Self.doubleStar && segments[1] != Self.doubleStar
            ? OneSegment(segments[1]) : nil
    }

    /// One segment of a pattern, with how many literal bytes every name it matches starts and ends with (up to
    /// its first and from its last wildcard), so that most names are turned away by a length and a byte or
    /// two: the test patterns are asked of every segment of every file's path. Lengths, not slices, so that a
    /// copy holds one array, as the glob's own checks make one.
    private struct OneSegment: Sendable, Hashable {
        let pattern: [UInt8]
        private let prefixLength: Int
        private let suffixLength: Int
        /// Whether the pattern has a wildcard; without one, a name matches only by being the pattern.
        private let wildcard: Bool

        init(_ pattern: [UInt8]) {
            self.pattern = pattern
            let special: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "\\")]
            guard let first = pattern.firstIndex(where: special.contains), let last = pattern.lastIndex(where: special.contains) else {
                (prefixLength, suffixLength, wildcard) = (pattern.count, 0, false)
                return
            }
            // A class or an escape can hold a `*` or a `]` that reads as a literal: no suffix is known then.
            let plain = !pattern.contains(UInt8(ascii: "[")) && !pattern.contains(UInt8(ascii: "\\"))
            (prefixLength, suffixLength, wildcard) = (first, plain ? pattern.count - last - 1 : 0, true)
        }

        /// Whether `name`, one segment of a path, matches.
        func matches<Name: RandomAccessCollection<UInt8>>(_ name: Name) -> Bool where Name.Index == Int {
            guard wildcard else { return name.elementsEqual(pattern) }
            guard name.count >= prefixLength + suffixLength else { return false }
            for k in 0..<prefixLength where name[name.startIndex + k] != pattern[k] { return false }
            for k in 0..<suffixLength where name[name.endIndex - suffixLength + k] != pattern[pattern.count - suffixLength + k] {
                return false
            }
            return Glob.matchSegment(pattern, name)
        }
    }

    public var description: String { pattern }

    /// Whether `path` (relative, `/`-separated) matches.
    public func matches(_ path: String, isDirectory: Bool = false) -> Bool {
        if directoryOnly && !isDirectory { return false }
        if let lastSegment {
            // Discovery asks this of every file: the last segment alone, read in place, without splitting or
            // copying the path.
            return path.withBorrowedUTF8 { bytes in
                var end = bytes.count
                while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
                var start = end
                while start > 0, bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
                return start < end && lastSegment.matches(bytes[start..<end])
            }
        }
        return Self.match(segments[...], Self.segments(of: path)[...])
    }

    /// Whether `path` or any folder above it matches, so a pattern naming a folder covers what is inside.
    public func matchesPathOrAncestor(_ path: String) -> Bool { Self.anyMatchesPathOrAncestor([self], path: path) }

    /// Whether any of `globs` matches `path` or a folder above it. Globs that are `**` and one segment (the
    /// default test patterns all are) are asked of each segment read in place (any but the last, for a
    /// folder-only pattern), rather than by trying every split of the path: splitting the path into an array
    /// of slices, each holding the array, was most of the cost of asking for every file.
    public static func anyMatchesPathOrAncestor(_ globs: [Glob], path: String) -> Bool {
        let matchedBySegment = path.withBorrowedUTF8 { bytes in
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            var start = 0
            while start < end {
                var stop = start
                while stop < end, bytes[stop] != UInt8(ascii: "/") { stop += 1 }
                if stop > start {
                    let isLast = stop == end
                    for glob in globs {
                        guard let segment = glob.lastSegment, !(glob.directoryOnly && isLast) else { continue }
                        if segment.matches(bytes[start..<stop]) { return true }
                    }
                }
                start = stop + 1
            }
            return false
        }
        if matchedBySegment { return true }
        guard globs.contains(where: { $0.lastSegment == nil }) else { return false }
        // The others match the pattern followed by `**` against the path split once for all of them.
        let parts = segments(of: path)
        guard !parts.isEmpty else { return false }
        return globs.contains { $0.lastSegment == nil && match($0.ancestorSegments[...], parts[...]) }
    }

    /// The path's segments as slices of one byte array, so matching allocates little (it runs for every file).
    static func segments(of path: String) -> [ArraySlice<UInt8>] {
        // A loop of its own: the library's `split` took thousands of instructions a path through its closure.
        let bytes = Array(path.utf8)
        var parts: [ArraySlice<UInt8>] = []
        parts.reserveCapacity(8)
        var start = 0
        for k in 0...bytes.count where k == bytes.count || bytes[k] == UInt8(ascii: "/") {
            if k > start { parts.append(bytes[start..<k]) }
            start = k + 1
        }
        return parts
    }

    private static let doubleStar = Array("**".utf8)

    private static func match(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<ArraySlice<UInt8>>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == doubleStar {
            let rest = pattern.dropFirst()
            var remaining = path
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let segment = path.first, matchSegment(first, segment) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func matchSegment<Name: RandomAccessCollection<UInt8>>(_ pattern: [UInt8], _ name: Name) -> Bool
    where Name.Index == Int {
        var p = pattern.startIndex
        var n = name.startIndex
        var starP = -1
        var starN = -1
        while n < name.endIndex {
            if p < pattern.endIndex {
                let c = pattern[p]
                if c == UInt8(ascii: "*") {
                    starP = p
                    starN = n
                    p += 1
                    continue
                }
                if c == UInt8(ascii: "?") {
                    p += 1
                    n += 1
                    continue
                }
                if c == UInt8(ascii: "["), let (matched, next) = matchClass(pattern, p, name[n]) {
                    if matched {
                        p = next
                        n += 1
                        continue
                    }
                } else if c == UInt8(ascii: "\\"), p + 1 < pattern.endIndex, pattern[p + 1] == name[n] {
                    p += 2
                    n += 1
                    continue
                } else if c == name[n] {
                    p += 1
                    n += 1
                    continue
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starN += 1
            n = starN
        }
        while p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    /// Matches a `[...]` class at `start`; nil when the bracket is not closed (then it is a literal `[`).
    private static func matchClass(_ pattern: [UInt8], _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.endIndex, pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^") {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.endIndex {
            let c = pattern[i]
            if c == UInt8(ascii: "]") && !first { return (matched != negate, i + 1) }
            first = false
            if i + 2 < pattern.endIndex, pattern[i + 1] == UInt8(ascii: "-"), pattern[i + 2] != UInt8(ascii: "]") {
                if c <= byte && byte <= pattern[i + 2] { matched = true }
                i += 3
            } else {
                if c == byte { matched = true }
                i += 1
            }
        }
        return nil
    }
}
