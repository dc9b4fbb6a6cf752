@testable import CanonEngine
import CanonCore
import Foundation
import Testing

@Suite struct ReadingTests {
    /// Texts of sizes around the reader's first call (the size and one byte more) and its later chunks.
    static let texts: [String] = [
        "", "x", "import os\n", String(repeating: "y = 1\n", count: 700), String(repeating: "z", count: 70_001),
    ]

    /// The size the walk gave is a hint: a file read with any size, too small or too large (the file grew or
    /// shrank since the walk), or none, is read whole.
    @Test(arguments: texts.indices)
    func aFileIsReadWholeWhateverSizeIsGiven(_ index: Int) throws {
        let text = Self.texts[index]
        let tree = try Tree(["f.py": text])
        defer { tree.remove() }
        let path = tree.url.appendingPathComponent("f.py").path
        let count = text.utf8.count
        for size in [nil, count, 0, count / 2, count - 1, count + 1, 2 * count + 4096] as [Int?] {
            let bytes = try FileReader.read(path, size: size.map { max(0, $0) }).get()
            #expect(bytes == Array(text.utf8), "size \(size.map(String.init) ?? "nil") of \(count)")
        }
    }

    @Test func aMissingFileIsAFailureThatSaysWhy() {
        let result = FileReader.read("/nonexistent/canon/f.py", size: 10)
        guard case .failure(let failure) = result else {
            Issue.record("read a file that does not exist")
            return
        }
        #expect(failure.reason == "cannot be read: No such file or directory")
    }
}

extension ReadingTests {
    /// A file read whole in one call leaves room past its end for a front end to pad it in place.
    @Test func aFileReadInOneCallLeavesRoomForPadding() throws {
        let text = String(repeating: "import os\n", count: 300)
        let tree = try Tree(["f.py": text])
        defer { tree.remove() }
        let path = tree.url.appendingPathComponent("f.py").path
        for size in [nil, text.utf8.count] as [Int?] {
            let bytes = try FileReader.read(path, size: size).get()
            #expect(bytes.count == text.utf8.count)
            #expect(bytes.capacity >= bytes.count + SourceBytes.paddingRoom)
        }
    }
}
