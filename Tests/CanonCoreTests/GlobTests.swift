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

    /// A pattern of `**` and one segment is matched against the path's last segment alone; `**/**/segment`,
    /// the same set of paths, goes the general way. They must agree.
    @Test func oneSegmentUnderDoubleStarMatchesAsTheGeneralWay() {
        let patterns = ["**/*.py", "*.py", "**/[a-c]?.pyi", "te?t*", "**/x", "[*]", "a[]]b", "\\*x", "*_test.py", "?", "a*a*a"]
        let paths = [
            "a.py", "pkg/sub/a.py", "pkg/a.pyi", "b1.pyi", "z/c2.pyi", "test_a", "x", "d/x", "x/", "a//x", "/x", "", "/", "é/x",
            "*", "d/*", "a]b", "*x", "ax", "_test.py", "a_test.py", "test.py", "aa", "aaa", "aXaYa", "é",
        ]
        for pattern in patterns {
            let general = Glob("**/**/" + (pattern.hasPrefix("**/") ? String(pattern.dropFirst(3)) : pattern))
            for path in paths {
                #expect(Glob(pattern).matches(path) == general.matches(path), "\(pattern) on \(path.debugDescription)")
            }
        }
    }

    @Test func directoryPatternsMatchOnlyFoldersAndWhatIsInside() {
        let glob = Glob("tests/")
        #expect(!glob.matches("tests"))
        #expect(glob.matches("tests", isDirectory: true))
        #expect(glob.matchesPathOrAncestor("app/tests/test_a.py"))
        #expect(!glob.matchesPathOrAncestor("app/tests.py"))
    }

    /// `matchesPathOrAncestor` is one match against the pattern followed by `**`; it must agree with matching
    /// each prefix of the path in turn (folders for all but the last).
    @Test func ancestorMatchingAgreesWithMatchingEachPrefix() {
        let patterns = ["tests/", "test/", "test_*.py", "*_test.py", "conftest.py", "/build", "pkg/**/gen/", "a/b", "**/x", "[ab]/"]
        let paths = [
            "tests", "tests/a.py", "app/tests/test_a.py", "app/tests.py", "test_x.py/inner.py", "src/app_test.py",
            "conftest.py", "pkg/conftest.py/x", "build/x.py", "src/build", "pkg/sub/gen/m.py", "pkg/gen", "a/b/c", "x/a/b",
            "deep/x", "a/x/y", "b/c.py", "b", "",
        ]
        for pattern in patterns {
            let glob = Glob(pattern)
            for path in paths {
                let parts = path.split(separator: "/").map(String.init)
                let byPrefix = parts.indices.contains { end in
                    glob.matches(parts[...end].joined(separator: "/"), isDirectory: end < parts.count - 1)
                }
                #expect(glob.matchesPathOrAncestor(path) == byPrefix, "\(pattern) on \(path)")
            }
        }
    }

    /// `anyMatchesPathOrAncestor` reads one-segment globs' segments in place and splits the path for the
    /// others; it must agree with asking each glob alone, alone and in every pair.
    @Test func anyOfSeveralGlobsAgreesWithAskingEach() {
        let patterns = ["tests/", "test_*.py", "*_test.py", "conftest.py", "/build", "pkg/**/gen/", "a/b", "[ab]/", "x?/"]
        let paths = [
            "tests", "tests/a.py", "app/tests/test_a.py", "app/tests.py", "test_x.py/inner.py", "src/app_test.py",
            "conftest.py", "pkg/conftest.py/x", "build/x.py", "src/build", "pkg/sub/gen/m.py", "a/b/c", "x/a/b",
            "b/c.py", "b", "", "/", "//tests//a.py", "app/tests/", "xy/z.py", "é/tests/ü.py", "a//b",
        ]
        let globs = patterns.map(Glob.init)
        let sets = globs.map { [$0] } + globs.indices.flatMap { i in globs.indices.map { [globs[i], globs[$0]] } }
        for set in sets {
            for path in paths {
                #expect(
                    Glob.anyMatchesPathOrAncestor(set, path: path) == set.contains { $0.matchesPathOrAncestor(path) },
                    "\(set) on \(path.debugDescription)")
            }
        }
        #expect(TestFiles(patterns: TestFiles.defaultPatterns).contains("pkg/tests/helpers.py"))
        #expect(!TestFiles(patterns: TestFiles.defaultPatterns).contains("pkg/testing/helpers.py"))
    }
}
