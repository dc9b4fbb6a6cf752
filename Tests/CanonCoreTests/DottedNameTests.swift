import CanonCore
import Testing

@Suite struct DottedNameTests {
    @Test(arguments: [
        ("a.b.c", ["a.b", "a"], "a"),
        ("a", [], "a"),
        ("", [], ""),
        ("é.ü.x", ["é.ü", "é"], "é"),
        ("a..b", ["a.", "a"], "a"),
        (".a", [""], ""),
    ])
    func packagesNearestFirstAndTop(module: String, packages: [String], top: String) {
        #expect(DottedName.packages(of: module).map(String.init) == packages)
        #expect(DottedName.top(of: module) == top)
    }

    @Test func stoppingEarlyLeavesTheRestUnread() {
        var packages = DottedName.packages(of: "a.b.c.d")
        #expect(packages.next() == "a.b.c")
        #expect(packages.next() == "a.b")
        #expect(Array(packages).map(String.init) == ["a"])
    }

    @Test(arguments: [
        ("a.b", "c", "a.b.c"),
        ("", "x", ".x"),
        ("pkg", "", "pkg."),
        ("é.ü", "naïve", "é.ü.naïve"),
        ("sqlalchemy.dialects.postgresql", "psycopg2", "sqlalchemy.dialects.postgresql.psycopg2"),
    ])
    func joinIsInterpolation(module: String, name: String, joined: String) {
        #expect(DottedName.join(module, name) == joined)
        #expect(DottedName.join(module, name) == "\(module).\(name)")
        #expect(DottedName.concatenate(module, ".<locals>.", name) == module + ".<locals>." + name)
        #expect(DottedName.concatenate("", "", "") == "")
    }

    /// `parts(of:)` splits as `split(separator: ".")` does: empty names (leading, trailing, doubled dots) left
    /// out, non-ASCII names whole, a name without a dot alone.
    @Test(arguments: [
        "", ".", "..", "a", "a.b.c", ".a", "a.", "..a..b..", "é.ü.naïve", "模块.子模块", "a.😀.b", "sqlalchemy.dialects.postgresql",
        ".relative.module",
    ])
    func partsAreTheSplitNames(dotted: String) {
        #expect(DottedName.parts(of: dotted) == dotted.split(separator: "."))
        #expect(DottedName.parts(of: dotted).map(String.init) == dotted.split(separator: ".").map(String.init))
        let slice = ("x." + dotted + ".y").dropFirst(2).dropLast(2)
        #expect(DottedName.parts(of: slice) == slice.split(separator: "."))
    }
}
