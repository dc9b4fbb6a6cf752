/// Which files are tests, for rules that leave tests out by default (`include_tests`, `test_patterns`).
public struct TestFiles: Sendable {
    /// The default globs that make a file a test file (`Tests/` is SwiftPM's test folder).
    public static let defaultPatterns = ["tests/", "test/", "Tests/", "test_*.py", "*_test.py", "conftest.py"]

    private let globs: [Glob]

    public init(patterns: [String]) {
        globs = patterns.map(Glob.init)
    }

    /// Whether `path` (relative to the scan root) is a test file or inside a test folder.
    public func contains(_ path: String) -> Bool { Glob.anyMatchesPathOrAncestor(globs, path: path) }
}
