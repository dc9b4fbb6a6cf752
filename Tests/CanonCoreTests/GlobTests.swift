import CanonCore
import Testing

@Suite struct GlobTests {
    @Test(arguments: [
        ("*.py", "a.py", true),
        ("*.py", "pkg/sub/a.py", true),
        ("*.py", "a.pyi", false),
        ("**/*.pyi", "x/y.pyi", true),
        ("**/*.pyi", "y.pyi", true),
        ("pkg/*.py", "pkg/a.py", true),
        ("pkg/*.py", "pkg/sub/a.py", false),
        ("pkg/**/a.py", "pkg/sub/deep/a.py", true),
        ("/build", "build", true),
        ("/build", "src/build", false),
        ("test_*.py", "app/tests_x/test_models.py", true),
        ("te?t.py", "test.py", true),
        ("[ab].py", "b.py", true),
        ("[!ab].py", "b.py", false),
        ("[a-c]x", "bx", true),
    ])
    func matches(pattern: String, path: String, expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }

    @Test func directoryPatternsMatchOnlyFoldersAndWhatIsInside() {
        let glob = Glob("tests/")
        #expect(!glob.matches("tests"))
        #expect(glob.matches("tests", isDirectory: true))
        #expect(glob.matchesPathOrAncestor("app/tests/test_a.py"))
        #expect(!glob.matchesPathOrAncestor("app/tests.py"))
    }
}
