/// Unified diffs of whole lines, as `diff -u` and `git diff` print them.
public enum UnifiedDiff {
    /// The diff from `old` to `new` with `context` lines around each change, headed `--- a/<path>` and
    /// `+++ b/<path>`; empty when the texts are equal. Line endings are not shown.
    public static func render(from old: String, to new: String, path: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        let script = editScript(a, b)
        guard script.contains(where: { $0.kind != .same }) else { return "" }
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        var k = 0
        while k < script.count {
            guard script[k].kind != .same else {
                k += 1
                continue
            }
            var start = k
            var end = k
            var quiet = 0
            var j = k
            while j < script.count {
                if script[j].kind == .same {
                    quiet += 1
                    if quiet > 2 * context { break }
                } else {
                    quiet = 0
                    end = j
                }
                j += 1
            }
            start = max(0, start - context)
            let stop = min(script.count, end + context + 1)
            let hunk = script[start..<stop]
            let oldStart = hunk.first.map { $0.oldLine } ?? 0
            let newStart = hunk.first.map { $0.newLine } ?? 0
            let oldCount = hunk.filter { $0.kind != .added }.count
            let newCount = hunk.filter { $0.kind != .removed }.count
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for step in hunk {
                switch step.kind {
                case .same: out += " \(a[step.oldLine - 1])\n"
                case .removed: out += "-\(a[step.oldLine - 1])\n"
                case .added: out += "+\(b[step.newLine - 1])\n"
                }
            }
            k = stop
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(count == 0 ? start - 1 : start),\(count)"
    }

    struct Step {
        enum Kind { case same, removed, added }
        let kind: Kind
        /// 1-based lines the step is at (for an added line, `oldLine` is the old line after it, and so on).
        let oldLine: Int
        let newLine: Int
    }

    static func lines(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start = text.unicodeScalars.startIndex
        var k = start
        let scalars = text.unicodeScalars
        while k < scalars.endIndex {
            let c = scalars[k]
            if c == "\n" || c == "\r" {
                out.append(Substring(scalars[start..<k]))
                var next = scalars.index(after: k)
                if c == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                start = next
                k = next
            } else {
                k = scalars.index(after: k)
            }
        }
        if start < scalars.endIndex { out.append(Substring(scalars[start...])) }
        return out
    }

    /// The shortest edit script (Myers' O(ND) algorithm), as steps in order.
    static func editScript(_ a: [Substring], _ b: [Substring]) -> [Step] {
        let n = a.count
        let m = b.count
        let offset = n + m + 1
        var v = [Int](repeating: 0, count: 2 * offset + 1)
        var trace: [[Int]] = []
        search: for d in 0...(n + m) {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n && y < m && a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m { break search }
            }
        }
        var steps: [Step] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previous = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1
            let px = d == 0 ? 0 : v[offset + previous]
            let py = px - previous
            while x > px && y > py && x > 0 && y > 0 {
                steps.append(Step(kind: .same, oldLine: x, newLine: y))
                x -= 1
                y -= 1
            }
            if d == 0 { break }
            if x == px {
                steps.append(Step(kind: .added, oldLine: x + 1, newLine: y))
            } else {
                steps.append(Step(kind: .removed, oldLine: x, newLine: y + 1))
            }
            x = px
            y = py
        }
        return steps.reversed()
    }
}
