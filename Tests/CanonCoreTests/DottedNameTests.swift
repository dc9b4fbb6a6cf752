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
        #expect(DottedName.top(of: module) == top[...])
    }

    @Test func stoppingEarlyLeavesTheRestUnread() {
        var packages = DottedName.packages(of: "a.b.c.d")
        #expect(packages.next() == "a.b.c")
        #expect(packages.next() == "a.b")
        #expect(Array(packages).map(String.init) == ["a"])
    }
}
