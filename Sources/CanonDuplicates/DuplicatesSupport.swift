import CanonCore

/// What the duplicates rules share: which files are tests.
enum DuplicatesSupport {
    /// The default globs that make a file a test file.
    static let defaultTestPatterns = ["tests/", "test/", "test_*.py", "*_test.py", "conftest.py"]

    /// The module files of the project, without test files unless `includeTests`.
    static func files(in index: ProjectIndex, includeTests: Bool, testPatterns: [String]) -> [FileFacts] {
        let globs = testPatterns.map(Glob.init)
        return index.moduleFiles.filter { file in
            includeTests || !globs.contains { $0.matchesPathOrAncestor(file.path) }
        }
    }
}
