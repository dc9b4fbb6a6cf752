@testable import CanonPython
import Testing

@Suite struct TokenQueriesTests {
    /// A string literal's escapes are decoded as Python decodes them; text with no backslash comes back as it is.
    @Test(arguments: [
        ("plain", "plain"), ("", ""), ("naïve", "naïve"), ("a\\nb", "a\nb"), ("tab\\there", "tab\there"),
        ("quote\\'s", "quote's"), ("back\\\\slash", "back\\slash"), ("\\x41\\u00e9", "Aé"), ("line\\\ncontinued", "linecontinued"),
    ])
    func unescapesAsPythonDoes(text: String, value: String) {
        #expect(TokenQueries.unescape(text) == value)
    }
}
