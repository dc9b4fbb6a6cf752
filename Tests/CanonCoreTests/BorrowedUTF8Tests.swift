import CanonCore
import Foundation
import Testing

@Suite struct BorrowedUTF8Tests {
    @Test(arguments: ["", "ascii", "a string long enough not to be stored inline", "é, π and 😀"])
    func givesTheUTF8BytesOfNativeAndBridgedStrings(text: String) {
        #expect(text.withBorrowedUTF8 { Array($0) } == Array(text.utf8))
        // A string from Foundation may not be contiguous: it is copied, and its bytes are the same.
        let bridged = NSString(string: text).appending("") as String
        #expect(bridged.withBorrowedUTF8 { Array($0) } == Array(text.utf8))
    }

    /// The first and last index of an ASCII byte, by UTF-8 offset, are those the UTF-8 view finds, in inline,
    /// long, non-ASCII and bridged strings, and nil where the byte is not there.
    @Test(arguments: ["", "os", "a.b", ".a", "a.", "é.ü.naïve", "sqlalchemy.dialects.postgresql.psycopg2", "no dots at all, long enough"])
    func findsTheFirstAndLastASCIIByteAsTheUTF8ViewDoes(text: String) {
        let dot = UInt8(ascii: ".")
        for string in [text, NSString(string: text).appending("") as String] {
            #expect(string.firstIndex(ofASCII: dot) == string.utf8.firstIndex(of: dot))
            #expect(string.lastIndex(ofASCII: dot) == string.utf8.lastIndex(of: dot))
            if let first = string.firstIndex(ofASCII: dot) { #expect(string[first...].hasPrefix(".")) }
        }
    }
}
