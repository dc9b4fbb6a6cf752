import Canon
import Foundation
import Testing

/// Scans files in memory with the built-in rules and renders the result.
func report(_ files: [String: String], severity: Severity = .warning) throws -> Report {
    let registry = BuiltinRules.registry()
    let policy = try PolicyLoader(registry: registry).load(
        text: "rules:\n  duplicate_definition:\n    severity: \(severity.rawValue)\n", file: "<test>")
    let rules = try policy.configuredRules(registry: registry)
    let result = Engine.scan(sources: files.map { ($0.key, Array($0.value.utf8)) }, rules: rules, settings: policy.settings)
    return Report(
        toolVersion: CanonVersion.current, fileCount: result.fileCount, findings: result.findings, errors: result.errors,
        skipped: result.skipped, rules: result.rules)
}

func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// Runs `../shared/tools/validate-sarif` on `sarif` when the shared folder is there; returns its output.
func validateSARIF(_ sarif: String) throws -> String? {
    guard let tool = SharedTools.tool("validate-sarif") else { return nil }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("canon-\(UUID().uuidString).sarif")
    try Data(sarif.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try SharedTools.run(tool, [file.path])
}

/// The shared tools beside the repository (`../shared`, or `$CANON_SHARED`).
enum SharedTools {
    static var folder: URL {
        if let path = ProcessInfo.processInfo.environment["CANON_SHARED"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static func tool(_ name: String) -> URL? {
        let url = folder.appendingPathComponent("tools/\(name)")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    static func run(_ tool: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite struct LineHashReferenceTests {
    /// Compares `LineHash` with the reference implementation (`../shared/tools/line-hash`) on texts with non-ASCII,
    /// characters outside the BMP, tabs and every line ending; skipped only when the shared folder is absent.
    @Test func matchesTheReferenceTool() throws {
        guard let tool = SharedTools.tool("line-hash") else { return }
        let texts = [
            "def f():\n\treturn 'héllo wörld'  # ünïcode\n\n\nclass Ünïcode:\n    pass\n",
            "x = '😀 emoji outside the BMP 😀'\r\ny = 2\r\n\r\n" + String(repeating: "z = 3\n", count: 40),
            "a\r \nb\rc\r\n\td\n",
            String(repeating: "短い行\n", count: 120) + "最後",
        ]
        for text in texts {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("canon-linehash-\(UUID().uuidString).py")
            try Data(text.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let output = try SharedTools.run(tool, [file.path])
            let reference = output.split(separator: "\n").map { String($0.split(separator: " ")[1]) }
            #expect(LineHash.hashes(of: text) == reference)
        }
    }
}

@Suite struct SARIFReporterTests {
    let files = [
        "billing/invoice.py": "import os\n\nclass Invoice:\n    pass\n",
        "legacy/invoice.py": "class Invoice:\n    total = 0\n",
        "my dir/[odd].py": "class Invoice:\n    pass\n",
    ]

    @Test func describesRulesAndResultsAsGitHubNeedsThem() throws {
        let sarif = SARIFReporter(category: "python", sourceRoot: URL(fileURLWithPath: "/repo")).render(try report(files))
        let log = try json(sarif)
        #expect(log["$schema"] as? String == SARIFReporter.schema)
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect((run["automationDetails"] as? [String: Any])?["id"] as? String == "python/")
        #expect(((run["originalUriBaseIds"] as? [String: Any])?["%SRCROOT%"] as? [String: Any])?["uri"] as? String == "file:///repo/")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["semanticVersion"] as? String == CanonVersion.current)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == rules.map { $0["id"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") })
        let ruleIndex = try #require(rules.firstIndex { $0["id"] as? String == "duplicate_definition" })
        let rule = rules[ruleIndex]
        #expect(rule["name"] as? String == "DuplicateDefinition")
        let help = try #require(rule["help"] as? [String: String])
        #expect(help["text"]?.contains("↓class Invoice") == true)
        #expect(help["markdown"]?.contains("| `min_definitions` |") == true)
        let properties = try #require(rule["properties"] as? [String: Any])
        #expect(properties["problem.severity"] as? String == "warning")
        #expect(properties["precision"] as? String == "high")

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let first = results[0]
        #expect(first["ruleIndex"] as? Int == ruleIndex)
        let message = try #require((first["message"] as? [String: Any])?["text"] as? String)
        #expect(message.hasSuffix("(see [legacy/invoice.py:1](1), [my dir/\\[odd\\].py:1](2))"))
        let location = try #require(((first["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        let artifact = try #require(location["artifactLocation"] as? [String: String])
        #expect(artifact == ["uri": "billing/invoice.py", "uriBaseId": "%SRCROOT%"])
        #expect(location["region"] as? [String: Int] == ["startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 14])
        let related = try #require(first["relatedLocations"] as? [[String: Any]])
        #expect(related.map { $0["id"] as? Int } == [1, 2])
        let escapedURI = ((related[1]["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: String])?["uri"]
        #expect(escapedURI == "my%20dir/%5Bodd%5D.py")
        let fingerprints = try #require(first["partialFingerprints"] as? [String: String])
        #expect(fingerprints["primaryLocationLineHash"] == LineHash.hashes(of: files["billing/invoice.py"]!)[2])
        #expect(fingerprints["canon/v1"]?.count == 32)
        if let output = try validateSARIF(sarif) { #expect(output.contains("valid"), "\(output)") }
    }

    @Test func overTheLimitErrorsAreKeptBeforeWarningsWithANotification() throws {
        var base = try report(files)
        var findings = base.findings
        findings[1].severity = .error
        findings[2].severity = .note
        base.findings = findings
        let sarif = SARIFReporter(maxResults: 2).render(base)
        let run = try #require((try json(sarif)["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["level"] as? String } == ["warning", "error"])
        let notifications = try #require((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]])
        let text = (notifications.last?["message"] as? [String: Any])?["text"] as? String
        #expect(text?.hasPrefix("1 of 3 results were left out (1 note)") == true)
        if let output = try validateSARIF(sarif) { #expect(output.contains("valid"), "\(output)") }
    }

    @Test func parseErrorsBecomeNotificationsAndTheLogStaysValid() throws {
        let sarif = SARIFReporter().render(try report(["ok.py": "x = 1\n", "bad.py": "x = (1,\n"]))
        let run = try #require((try json(sarif)["runs"] as? [[String: Any]])?.first)
        #expect((run["results"] as? [Any])?.isEmpty == true)
        let notifications = try #require((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]])
        #expect((notifications.first?["descriptor"] as? [String: String])?["id"] == "canon/parse-error")
        #expect(run["automationDetails"] == nil)
        if let output = try validateSARIF(sarif) { #expect(output.contains("valid"), "\(output)") }
    }
}

@Suite struct GitHubReporterTests {
    @Test func writesWorkflowCommandsWithGitHubEscaping() throws {
        let text = GitHubReporter().render(
            try report(["a,b.py": "class Thing:\n    pass\n", "c.py": "class Thing:\n    pass\n"], severity: .note))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "::notice file=a%2Cb.py,line=1,col=1,endLine=1,endColumn=12,title=duplicate_definition (DUP001)::class 'Thing' is also defined in c; keep one definition and import it")
        #expect(lines.last == "Scanned 2 files: 2 findings (2 notes).")
        #expect(GitHubReporter.escape("50%\r\nx:y,z", isProperty: true) == "50%25%0D%0Ax%3Ay%2Cz")
        #expect(GitHubReporter.escape("a:b,c\n", isProperty: false) == "a:b,c%0A")
        #expect(!GitHubReporter(quiet: true).render(try report(["a.py": "x = 1\n"])).contains("Scanned"))
    }
}

@Suite struct ReportFixesTests {
    /// A finding's edits follow it when the report's paths are made absolute, and a finding without edits gets
    /// no `fixes` in SARIF.
    @Test func fixesFollowTheirFindingsUnderAbsolutePaths() throws {
        let edit = TextEdit(path: "app/user.py", range: SourceRange(line: 1, column: 6, endLine: 1, endColumn: 14), replacement: "app.real")
        let fixable = Finding(
            rule: "deprecated_import", code: "DEP001", severity: .warning,
            location: SourceLocation(path: "app/user.py", range: SourceRange(line: 1, column: 22, endLine: 1, endColumn: 27)),
            message: "deprecated", subject: "app.shim.Order")
        var other = fixable
        other.location.path = "app/other.py"
        let report = Report(
            toolVersion: CanonVersion.current, fileCount: 2, findings: [fixable, other], errors: [], skipped: [],
            fixes: [fixable: [edit]])
        let moved = report.withPaths(under: "/repo")
        #expect(moved.fixes[moved.findings[1]]?.map(\.path) == ["/repo/app/user.py"])
        #expect(moved.fixes[moved.findings[0]] == nil)
        let results = try #require((try json(SARIFReporter().render(report))["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.map { $0["fixes"] == nil } == [true, false])
        let change = try #require(((results[1]["fixes"] as? [[String: Any]])?.first?["artifactChanges"] as? [[String: Any]])?.first)
        #expect((change["replacements"] as? [[String: Any]])?.first?["deletedRegion"] as? [String: Int]
            == ["startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 14])
    }
}
