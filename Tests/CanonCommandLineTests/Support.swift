import Canon
import CanonCommandLine
import Foundation
import Synchronization

/// The output and exit code of one in-process run of the command line.
struct RunOutput {
    let code: Int32
    let stdout: String
    let stderr: String
}

func runCanon(_ arguments: [String], registry: Registry = BuiltinRules.registry()) -> RunOutput {
    let out = Mutex("")
    let err = Mutex("")
    let console = Console(
        wantsColor: false, out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
    let code = CommandLineTool.run(arguments, registry: registry, console: console)
    return RunOutput(code: code, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
}

/// A temporary folder that holds a copy of a fixture tree or files written by the test; removed by `remove()`.
struct TemporaryTree {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("canon-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    init(fixture name: String) throws {
        try self.init()
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: url.appendingPathComponent(item))
        }
    }

    func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    func path(_ relative: String = "") -> String { relative.isEmpty ? url.path : url.appendingPathComponent(relative).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A shim package that warns on import, its real home, an importer that can be fixed and one that cannot.
func shimTree() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    try tree.write(".canon.yml", "")
    try tree.write("app/__init__.py", "")
    try tree.write("app/real.py", "class Order:\n    pass\n")
    try tree.write("app/shim.py", "import warnings\n\nwarnings.warn('use app.real', DeprecationWarning)\n\nfrom app.real import Order\n")
    try tree.write("app/user.py", "import os\nfrom app.shim import Order\n")
    try tree.write("app/whole.py", "import app.shim as m\n\nx = m.Order\n")
    return tree
}
