import CanonCore
import Foundation
import Testing

@Suite struct FileOutputTests {
    @Test func everythingIsWrittenAndAFailureIsItsErrno() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("canon-file-output-\(UUID().uuidString)").path
        defer { unlink(path) }
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writable = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(writable >= 0)
        #expect(bytes.withUnsafeBytes { FileOutput.writeAll($0, to: writable) } == nil)
        #expect([UInt8]().withUnsafeBytes { FileOutput.writeAll($0, to: writable) } == nil)
        close(writable)
        #expect(FileManager.default.contents(atPath: path).map([UInt8].init) == bytes)

        let readOnly = open(path, O_RDONLY)
        try #require(readOnly >= 0)
        defer { close(readOnly) }
        #expect(bytes.withUnsafeBytes { FileOutput.writeAll($0, to: readOnly) } == EBADF)
    }
}
