import CanonCore

/// What the duplicates rules share: which files they look at.
enum DuplicatesSupport {
    /// The module files of the project, without test files unless `includeTests`.
    static func files(in index: ProjectIndex, includeTests: Bool, testPatterns: [String]) -> [FileFacts] {
        let tests = TestFiles(patterns: testPatterns)
        return index.moduleFiles.filter { includeTests || !tests.contains($0.path) }
    }
}
