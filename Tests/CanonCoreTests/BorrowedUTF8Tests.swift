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
}
