import Canon
import CanonServer
import Foundation
import FuzzDriver

/// The workspace's folder, one per process.
func workspaceRoot() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("canon-fuzz-rpc-\(getpid())")
}

/// A small workspace with a duplicate class, so `scan`, `scanFile` and `explain` have something to report.
let workspace: String = {
    let root = workspaceRoot()
    let files = [
        "pkg/__init__.py": "from pkg.a import Order\n",
        "pkg/a.py": "class Order:\n    pass\n",
        "pkg/b.py": "class Order:\n    pass\n\nimport pkg.a  # canon: ignore[unused_suppression]\n",
    ]
    for (path, text) in files {
        let url = root.appendingPathComponent(path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: url)
    }
    // libFuzzer ends the process with `exit`, so this is the last chance to leave /tmp as it was.
    atexit { try? FileManager.default.removeItem(at: workspaceRoot()) }
    return root.path
}()

let server = Server(registry: BuiltinRules.registry(), jobs: 1)

/// The fuzzer's bytes, handed out in chunks whose size the first byte picks, so frames straddle reads.
final class ChunkedInput: ByteInput {
    let bytes: [UInt8]
    let chunk: Int
    nonisolated(unsafe) var offset = 0  // Only the server's reading thread reads its input.

    init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(maximum: Int) -> [UInt8] {
        let end = min(bytes.count, offset + min(maximum, chunk))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// Any bytes are what a client sends after `initialize` on a fixed workspace: every message the server sends back
/// is a frame holding one JSON object, and the server stops at `exit` or the end of input. Inputs that send
/// `initialize` themselves are skipped, so the server never scans a folder outside the workspace.
func fuzzRPC(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let fuzzed = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    var frames = MessageReader(input: ChunkedInput(fuzzed, chunk: Int.max))
    while let frame = frames.next() {
        if case .message(let body, _) = frame, let value = CanonServer.JSONValue.parse(body), mentionsInitialize(value) { return -1 }
    }
    let initialize = Array(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"rootPath":"\#(workspace)"}}"#.utf8) + [0x0A]
    let chunk = size == 0 ? 1 : 1 + Int(fuzzed[0] % 97)
    let output = Output()
    _ = server.run(input: ChunkedInput(initialize + fuzzed, chunk: chunk)) { output.append($0) }
    var answers = MessageReader(input: ChunkedInput(output.bytes, chunk: Int.max))
    while let frame = answers.next() {
        guard case .message(let body, _) = frame, case .object(let members)? = CanonServer.JSONValue.parse(body) else {
            preconditionFailure("the server sent a frame that is not a JSON object: \(frame)")
        }
        precondition(members["jsonrpc"] == .string("2.0"), "an answer without jsonrpc 2.0: \(members)")
    }
    return 0
}

/// Whether `value` is, or holds in a batch, a message whose method is `initialize`.
func mentionsInitialize(_ value: CanonServer.JSONValue) -> Bool {
    switch value {
    case .object(let members): members["method"] == .string("initialize")
    case .array(let items): items.contains(where: mentionsInitialize)
    default: false
    }
}

/// What the server writes, collected from its request queue.
final class Output: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var collected: [UInt8] = []  // Guarded by `lock`.

    func append(_ bytes: [UInt8]) {
        lock.withLock { collected += bytes }
    }

    var bytes: [UInt8] { lock.withLock { collected } }
}

exit(canon_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzRPC))
