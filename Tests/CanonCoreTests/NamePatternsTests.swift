import CanonCore
import Testing

@Suite struct NamePatternsTests {
    /// A pattern matches the whole name; the first pattern that matches is named; asked again (by a copy too, which
    /// shares the remembered answers), the answers are the same.
    @Test func patternsMatchWholeNamesAndAnswerAlikeWhenAskedAgain() {
        let patterns = NamePatterns([".*(Manager|Registry)", "Cache.*", "("])
        #expect(patterns.sources == [".*(Manager|Registry)", "Cache.*"])
        let copy = patterns
        for _ in 0..<2 {
            for asker in [patterns, copy] {
                #expect(asker.firstMatch("SessionManager") == ".*(Manager|Registry)")
                #expect(asker.firstMatch("CacheManager") == ".*(Manager|Registry)")
                #expect(asker.firstMatch("CacheStore") == "Cache.*")
                #expect(asker.firstMatch("ManagerFactory") == nil)
                #expect(asker.matches("Registry"))
                #expect(!asker.matches("registry"))
                #expect(!asker.matches(""))
            }
        }
        #expect(!NamePatterns([]).matches("Anything"))
        #expect(NamePatterns([]).isEmpty)
    }
}
