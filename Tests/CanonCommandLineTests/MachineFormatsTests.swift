import Canon
import Foundation
import Testing

/// The repository's root, from this file's place in it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `../shared/tools/NAME` beside the repository (or under `$CANON_SHARED`), when it is there.
func sharedTool(_ name: String) -> URL? {
    let environment = ProcessInfo.processInfo.environment["CANON_SHARED"] ?? ""
    let folder = environment.isEmpty ? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared") : URL(fileURLWithPath: environment)
    let tool = folder.appendingPathComponent("tools/\(name)")
    return FileManager.default.isExecutableFile(atPath: tool.path) ? tool : nil
}

/// Runs an executable and returns its exit status and standard output.
func runProcess(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite struct MachineFormatsTests {
    @Test func sarifIsValidAndTheSameWhateverTheJobs() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        for index in 0..<60 { try tree.write("many/mod\(index).py", "class Shared\(index % 7):\n    pass\n") }
        let one = runCanon(["scan", tree.path(), "--format", "sarif", "--jobs", "1", "--category", "canon/python"])
        let four = runCanon(["scan", tree.path(), "--format", "sarif", "--jobs", "4", "--category", "canon/python"])
        #expect(one.code == 1)
        #expect(one.stdout == four.stdout)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect((run["automationDetails"] as? [String: String])?["id"] == "canon/python/")
        let json = runCanon(["scan", tree.path(), "--format", "json"])
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])["findings"] as? [Any]
        #expect((run["results"] as? [Any])?.count == findings?.count)
        #expect((findings?.count ?? 0) >= 63)
        if let validator = sharedTool("validate-sarif") {
            let file = tree.path("out.sarif")
            try one.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let validated = try runProcess(validator, [file])
            #expect(validated.status == 0, "\(validated.output)")
        }
    }

    @Test func sarifOutputBesideTextAndJSONFingerprints() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        let sarif = tree.path("report.sarif")
        let json = tree.path("report.json")
        let run = runCanon(["scan", tree.path(), "--sarif-output", sarif, "--json-output", json, "--quiet"])
        #expect(run.stdout.contains(": warning: class 'Invoice'"))
        let log = try String(contentsOfFile: sarif, encoding: .utf8)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let fingerprints = try #require(report["findings"] as? [[String: Any]]).compactMap { $0["fingerprint"] as? String }
        #expect(!fingerprints.isEmpty)
        #expect(fingerprints.allSatisfy { log.contains("\"canon/v1\" : \"\($0)\"") })
    }

    @Test func aFindingMovedTenLinesDownKeepsItsFingerprint() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        func fingerprints() throws -> [String: String] {
            let run = runCanon(["scan", tree.path(), "--format", "json"])
            let findings = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])["findings"] as? [[String: Any]]
            return Dictionary(uniqueKeysWithValues: (findings ?? []).map { ("\($0["path"]!):\($0["line"]!)", $0["fingerprint"] as! String) })
        }
        let before = try fingerprints()
        let path = tree.path("legacy/invoice.py")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (String(repeating: "\n", count: 10) + text).write(toFile: path, atomically: true, encoding: .utf8)
        let after = try fingerprints()
        #expect(before["legacy/invoice.py:2"] != nil)
        #expect(after["legacy/invoice.py:12"] == before["legacy/invoice.py:2"])
    }

    @Test func githubFormatWritesAnnotations() throws {
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        let run = runCanon(["scan", tree.path(), "--format", "github"])
        #expect(run.code == 1)
        #expect(run.stdout.contains("::warning file=legacy/invoice.py,line=2,col=1,endLine=2,endColumn=14,title=duplicate_definition (DUP001)::class 'Invoice'"))
    }

    /// Drives the real `canon serve` from a separate process with `Tests/Serve/client.py` (standard library
    /// only): initialize, scan, scanFile with edited content, 2,000 malformed frames, shutdown and exit.
    @Test(.timeLimit(.minutes(5))) func serveAnswersAClientInAnotherProcess() throws {
        // The executable built beside these tests (under a sanitizer's scratch path too), else the debug build's.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("canon")
        let binary = ProcessInfo.processInfo.environment["CANON_BINARY"].map { URL(fileURLWithPath: $0) }
            ?? (FileManager.default.isExecutableFile(atPath: beside.path) ? beside : repositoryRoot.appendingPathComponent(".build/debug/canon"))
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the canon executable first (swift build)")
        let tree = try TemporaryTree(fixture: "three_definitions")
        defer { tree.remove() }
        let client = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", repositoryRoot.appendingPathComponent("Tests/Serve/client.py").path, "check", binary.path, tree.path()])
        #expect(client.status == 0, "\(client.output)")
        #expect(client.output.contains("ok    after 1,000 malformed frames a valid request gets a valid answer"))
    }
}
