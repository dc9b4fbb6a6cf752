/// How much of a value's text the facts keep (`AssignmentFact.valueText`, `ClassAttributeFact.valueText`): all
/// of it up to `limit` UTF-8 bytes; past that, the first `limit` bytes (ending where a character starts) and `…`.
///
/// The rules read short values (a `None` placeholder, `field(default_factory=list)`) and quote them in messages;
/// held whole, long values (a generated module's data, one literal of 4 MB) were a fifth of the corpora's facts
/// cache, and a message quoting one quoted it all. Every front end cuts the same way, so a value's facts, the hashes
/// made of them and the findings that quote them agree whichever way the facts were made.
public enum ValueText {
    /// The most UTF-8 bytes of a value's text kept before the cut.
    public static let limit = 256

    /// Marks the end of a text that was cut.
    public static let cutMark = "…"

    /// `text`, or its first `limit` bytes and `cutMark` when it is longer. The cut falls where a Unicode scalar
    /// starts: a character of several bytes that would straddle it is left out whole.
    public static func capped(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        while end > utf8.startIndex && UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return String(text[..<end]) + cutMark
    }
}
