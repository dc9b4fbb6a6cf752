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

    /// A folder of its own for each test, removed after it.
    private func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("canon-replace-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func aNewFileTakesTheOldOnesPlaceAndNothingIsLeftBeside() throws {
        try withFolder { folder in
            let (path, temporary) = ("\(folder)/report.json", "\(folder)/.report.json.tmp")
            try "old".write(toFile: path, atomically: false, encoding: .utf8)
            try "new".write(toFile: temporary, atomically: false, encoding: .utf8)
            #expect(FileOutput.replace(path, with: temporary) == nil)
            #expect(contents(path) == "new")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.json"])
        }
    }

    @Test func aFileIsPutWhereNoneWas() throws {
        try withFolder { folder in
            let (path, temporary) = ("\(folder)/report.json", "\(folder)/.report.json.tmp")
            try "new".write(toFile: temporary, atomically: false, encoding: .utf8)
            #expect(FileOutput.replace(path, with: temporary) == nil)
            #expect(contents(path) == "new")
            #expect(!FileManager.default.fileExists(atPath: temporary))
        }
    }

    @Test func aFolderInThePlaceIsLeftAndTheFailureSaysWhy() throws {
        try withFolder { folder in
            let (path, temporary) = ("\(folder)/report.json", "\(folder)/.report.json.tmp")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try "kept".write(toFile: "\(path)/inside", atomically: false, encoding: .utf8)
            try "new".write(toFile: temporary, atomically: false, encoding: .utf8)
            #expect(FileOutput.replace(path, with: temporary) == EISDIR)
            #expect(contents("\(path)/inside") == "kept")
            #expect(contents(temporary) == "new")
        }
    }

    @Test func aSymbolicLinkInThePlaceIsReplacedAndWhatItNamesIsLeft() throws {
        try withFolder { folder in
            let (path, temporary, named) = ("\(folder)/report.json", "\(folder)/.report.json.tmp", "\(folder)/named")
            try "named".write(toFile: named, atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: named)
            try "new".write(toFile: temporary, atomically: false, encoding: .utf8)
            #expect(FileOutput.replace(path, with: temporary) == nil)
            #expect(contents(path) == "new")
            #expect(contents(named) == "named")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil)
        }
    }
}
