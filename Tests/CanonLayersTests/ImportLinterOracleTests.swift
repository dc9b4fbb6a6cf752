import Canon
import Foundation
import Testing

/// import-linter (from PyPI) as an oracle: on each fixture, a tree with the same contracts in `.importlinter` and
/// `.canon.yml`, both tools must give every contract the same verdict, find the same chains (by the module each
/// enters first: the imported module of a direct import), list the same undeclared modules, and Canon must name
/// every import import-linter names. Canon names each import that enters a chain; import-linter names them all
/// for layers and independence but one per chain for forbidden contracts.
@Suite(.enabled(if: ImportLinter.executable != nil, "import-linter is not installed (pip install import-linter); the oracle tests are skipped"))
struct ImportLinterOracleTests {
    @Test(arguments: ["layers_with_containers", "forbidden", "independence"])
    func canonGivesImportLintersVerdicts(_ fixture: String) throws {
        let tree = try FixtureCopy(fixture)
        defer { tree.remove() }
        let expected = try ImportLinter.run(in: tree.url)
        let actual = try CanonVerdicts.run(in: tree.url)
        #expect(!expected.isEmpty, "import-linter reported no contracts")
        #expect(Set(actual.keys) == Set(expected.keys))
        for (name, verdict) in expected.sorted(by: { $0.key < $1.key }) {
            let canon = try #require(actual[name], "contract '\(name)'")
            #expect(canon.broken == verdict.broken, "verdict of contract '\(name)'")
            #expect(canon.entries == verdict.entries, "chains of contract '\(name)'")
            #expect(canon.undeclared == verdict.undeclared, "undeclared modules of contract '\(name)'")
            #expect(verdict.imports.isSubset(of: canon.imports), "imports of contract '\(name)': import-linter \(verdict), Canon \(canon)")
        }
    }

    @Test func layersAndIndependenceNameTheSameImportsAsImportLinter() throws {
        for fixture in ["layers_with_containers", "independence"] {
            let tree = try FixtureCopy(fixture)
            defer { tree.remove() }
            let expected = try ImportLinter.run(in: tree.url)
            let actual = try CanonVerdicts.run(in: tree.url)
            for (name, verdict) in expected {
                #expect(actual[name]?.imports == verdict.imports, "imports of contract '\(name)'")
            }
        }
    }
}

/// What a tool says about one contract.
struct ContractVerdict: Equatable, CustomStringConvertible {
    var broken: Bool
    /// `importer:line` of each import by which a chain starts.
    var imports: Set<String> = []
    /// The module each chain enters first from the importing side.
    var entries: Set<String> = []
    /// Modules an exhaustive layers contract does not list.
    var undeclared: Set<String> = []

    var description: String {
        "\(broken ? "BROKEN" : "KEPT") imports \(imports.sorted()) entries \(entries.sorted()) undeclared \(undeclared.sorted())"
    }
}

enum ImportLinter {
    /// `lint-imports` on the PATH (or `CANON_LINT_IMPORTS`), if installed.
    static let executable: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["CANON_LINT_IMPORTS"], FileManager.default.isExecutableFile(atPath: given) { return given }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/lint-imports"
            guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
            // A pyenv shim exists even where the active Python lacks the package; ask it.
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: candidate)
            probe.arguments = ["--version"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { continue }
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return candidate }
        }
        return nil
    }()

    /// Runs import-linter in `folder` and reads its report.
    static func run(in folder: URL) throws -> [String: ContractVerdict] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(executable))
        process.arguments = ["--no-cache"]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "1000"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect([0, 1].contains(process.terminationStatus), "lint-imports failed:\n\(output)")
        return parse(output)
    }

    /// Reads the `NAME KEPT|BROKEN` summary, then each broken contract's chains (`- importer -> imported (l.N)`
    /// starts one) and undeclared modules (`- module`).
    static func parse(_ output: String) -> [String: ContractVerdict] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop(while: \.isWhitespace).reversed())
        }
        var verdicts: [String: ContractVerdict] = [:]
        var current: String?
        var inBroken = false
        var collectingHeads = false
        func add(_ importer: Substring, _ numbers: Substring, to contract: String) {
            for number in numbers.split(separator: ",") {
                verdicts[contract]?.imports.insert("\(importer):\(number.drop { !$0.isNumber })")
            }
        }
        for (offset, line) in lines.enumerated() {
            if line == "Broken contracts" { inBroken = true }
            if !inBroken, let match = line.wholeMatch(of: /(.+?) (KEPT|BROKEN)( \(.*\))?/) {
                verdicts[String(match.1)] = ContractVerdict(broken: match.2 == "BROKEN")
                continue
            }
            guard inBroken else { continue }
            if offset + 1 < lines.count, !line.isEmpty, lines[offset + 1] == String(repeating: "-", count: line.count),
                verdicts[line] != nil
            {
                current = line
                continue
            }
            guard let contract = current else { continue }
            // A chain starts `- importer -> imported (l.N)`; when several importers enter the same chain it
            // starts `- importer (l.N)`, then `& importer (l.N)` lines, the last `& importer -> imported (l.N)`.
            if let chain = line.wholeMatch(of: /-\s+(\S+) -> (\S+) \((.*)\)/) {
                add(chain.1, chain.3, to: contract)
                verdicts[contract]?.entries.insert(String(chain.2))
                collectingHeads = false
            } else if let first = line.wholeMatch(of: /-\s+(\S+) \((.*)\)/) {
                add(first.1, first.2, to: contract)
                collectingHeads = true
            } else if collectingHeads, let more = line.wholeMatch(of: /\s+&\s+(\S+)( -> (\S+))? \((.*)\)/) {
                add(more.1, more.4, to: contract)
                if let entry = more.3 {
                    verdicts[contract]?.entries.insert(String(entry))
                    collectingHeads = false
                }
            } else if let module = line.wholeMatch(of: /-\s+([\w.]+)/) {
                verdicts[contract]?.undeclared.insert(String(module.1))
            }
        }
        return verdicts
    }
}

enum CanonVerdicts {
    /// Scans `folder` with its `.canon.yml` and groups the contract rules' findings by contract.
    static func run(in folder: URL) throws -> [String: ContractVerdict] {
        let registry = BuiltinRules.registry()
        let policy = try PolicyLoader(registry: registry).load(root: folder)
        let rules = try policy.configuredRules(registry: registry, select: ["layer_violation", "forbidden_import"])
        let result = try Engine.scan(ScanRequest(root: folder, policy: policy, rules: rules, jobs: 1))
        #expect(result.errors.isEmpty, "files Canon could not parse: \(result.errors)")
        let settings = policy.settings
        var verdicts: [String: ContractVerdict] = [:]
        for name in settings.layerContracts.map(\.name) + settings.forbiddenContracts.map(\.name) + settings.independenceContracts.map(\.name) {
            verdicts[name] = ContractVerdict(broken: false)
        }
        for finding in result.findings {
            guard let colon = finding.subject.firstIndex(of: ":") else { continue }
            let contract = String(finding.subject[..<colon])
            let rest = finding.subject[finding.subject.index(colon, offsetBy: 2)...]
            verdicts[contract, default: ContractVerdict(broken: true)].broken = true
            if let arrow = rest.range(of: " -> ") {
                verdicts[contract]?.imports.insert("\(rest[..<arrow.lowerBound]):\(finding.location.range.line)")
                verdicts[contract]?.entries.insert(String(rest[arrow.upperBound...]))
            } else {
                verdicts[contract]?.undeclared.insert(String(rest))
            }
        }
        return verdicts
    }
}

/// A fixture tree copied to a temporary folder, so neither tool writes into the repository.
struct FixtureCopy {
    let url: URL

    init(_ name: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("canon-oracle-\(UUID().uuidString)")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        try FileManager.default.copyItem(at: source, to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
