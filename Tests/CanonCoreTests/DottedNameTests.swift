import CanonCore
import Testing

@Suite struct DottedNameTests {
    @Test(arguments: [
        ("a.b.c", ["a.b", "a"], "a"),
        ("a", [], "a"),
        ("", [], ""),
        ("é.ü.x", ["é.ü", "é"], "é"),
        ("a..b", ["a.", "a"], "a"),
    ])
    func packagesNearestFirstAndTop(module: String, packages: [String], top: String) {
        var found: [String] = []
        DottedName.forEachPackage(of: module) { found.append(String($0)) }
        #expect(found == packages)
        #expect(DottedName.top(of: module) == top[...])
    }
}
