import Canon
import CanonServer
import Dispatch
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a pipe like `FileDescriptorInput`, but gives up (as at the end of input) after 30 seconds without
/// data, so a server that fails to answer fails the test instead of hanging it.
struct PatientInput: ByteInput {
    let descriptor: Int32

    func read(maximum: Int) -> [UInt8] {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, 30_000) > 0 else { return [] }
        return FileDescriptorInput(descriptor: descriptor).read(maximum: maximum)
    }
}

/// A server running on a thread, fed and read through in-memory pipes.
final class Connection: Sendable {
    private let toServer: (read: Int32, write: Int32)
    private let fromServer: (read: Int32, write: Int32)
    private let exitCode = Mutex<Int32?>(nil)
    private let finished = DispatchSemaphore(value: 0)
    private let reader: Mutex<MessageReader>

    init(registry: Registry = BuiltinRules.registry()) {
        var a: [Int32] = [0, 0]
        var b: [Int32] = [0, 0]
        _ = pipe(&a)
        _ = pipe(&b)
        toServer = (a[0], a[1])
        fromServer = (b[0], b[1])
        reader = Mutex(MessageReader(input: PatientInput(descriptor: b[0])))
        let input = FileDescriptorInput(descriptor: a[0])
        let output = b[1]
        Thread.detachNewThread { [self] in
            let code = Server(registry: registry, jobs: 2).run(input: input) { bytes in
                var rest = bytes[...]
                while !rest.isEmpty {
                    let written = rest.withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                    if written <= 0 { return }
                    rest = rest.dropFirst(written)
                }
            }
            exitCode.withLock { $0 = code }
            close(output)
            finished.signal()
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(toServer.write, $0.baseAddress, $0.count) }
    }

    func send(_ message: [String: Any], framing: Framing = .contentLength) {
        let body = try! JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
        let framed = framing.frame(Array(body))
        _ = framed.withUnsafeBytes { write(toServer.write, $0.baseAddress, $0.count) }
    }

    /// The next message from the server that is not a notification (unless `notifications` collects them).
    func next(notifications: inout [[String: Any]]) -> (message: [String: Any], framing: Framing)? {
        while let frame = reader.withLock({ $0.next() }) {
            guard case .message(let bytes, let framing) = frame,
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            else { return nil }
            if object["method"] != nil {
                notifications.append(object)
                continue
            }
            return (object, framing)
        }
        return nil
    }

    func next() -> [String: Any] {
        var ignored: [[String: Any]] = []
        return next(notifications: &ignored)?.message ?? [:]
    }

    func request(_ id: Int, _ method: String, _ params: [String: Any] = [:], framing: Framing = .contentLength) -> [String: Any] {
        send(["jsonrpc": "2.0", "id": id, "method": method, "params": params], framing: framing)
        return next()
    }

    /// Closes the server's input and returns its exit code.
    func finish(exit: Bool = true) -> Int32? {
        if exit { send(["jsonrpc": "2.0", "method": "exit"]) }
        close(toServer.write)
        finished.wait()
        close(toServer.read)
        close(fromServer.read)
        return exitCode.withLock { $0 }
    }
}

func errorCode(_ answer: [String: Any]) -> Int? { (answer["error"] as? [String: Any])?["code"] as? Int }

/// A temporary project folder.
struct Project {
    let url: URL

    init(_ files: [String: String]) throws {
        url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("canon-server-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        for (path, text) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite(.timeLimit(.minutes(2))) struct ServerTests {
    let files = [
        "billing/invoice.py": "class Invoice:\n    pass\n",
        "legacy/invoice.py": "class Invoice:\n    total = 0\n",
        "app/main.py": "x = 1\n",
    ]

    @Test func answersEachRequestInItsOwnFraming() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        var notifications: [[String: Any]] = []
        connection.send(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["rootPath": project.url.path]])
        let initialized = try #require(connection.next(notifications: &notifications))
        #expect(initialized.framing == .contentLength)
        #expect(((initialized.message["result"] as? [String: Any])?["serverInfo"] as? [String: String])?["name"] == "canon")
        connection.send(["jsonrpc": "2.0", "id": 2, "method": "scan"], framing: .lineDelimited)
        let scanned = try #require(connection.next(notifications: &notifications))
        #expect(scanned.framing == .lineDelimited)
        let result = try #require(scanned.message["result"] as? [String: Any])
        #expect((result["summary"] as? [String: Int])?["findings"] == 2)
        #expect((result["findings"] as? [[String: Any]])?.allSatisfy { ($0["fingerprint"] as? String)?.count == 32 } == true)
        let progress = notifications.filter { $0["method"] as? String == "$/progress" }
        #expect(!progress.isEmpty)
        #expect(progress.allSatisfy { ($0["params"] as? [String: Any])?["token"] as? Int == 2 })
        #expect(((progress.last?["params"] as? [String: Any])?["value"] as? [String: Int]) == ["done": 3, "total": 3])
        #expect(connection.finish(exit: false) == 1)
    }

    @Test func scanFileChecksUnsavedContentAgainstTheKeptProject() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        _ = connection.request(1, "initialize", ["rootUri": project.url.absoluteString])
        let scan = connection.request(2, "scan", ["paths": ["billing"]])
        let scanned = try #require((scan["result"] as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(scanned.map { $0["path"] as? String } == ["billing/invoice.py"])

        let moved = connection.request(
            3, "scanFile", ["path": "billing/invoice.py", "content": String(repeating: "\n", count: 10) + files["billing/invoice.py"]!])
        let findings = try #require((moved["result"] as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings[0]["line"] as? Int == 11)
        #expect(findings[0]["fingerprint"] as? String == scanned[0]["fingerprint"] as? String)

        let removed = connection.request(4, "scanFile", ["path": project.url.appendingPathComponent("legacy/invoice.py").path, "content": "x = 2\n"])
        #expect(((removed["result"] as? [String: Any])?["findings"] as? [Any])?.isEmpty == true)
        let other = connection.request(5, "scanFile", ["path": "file://" + project.url.appendingPathComponent("billing/invoice.py").path, "content": "class Invoice:\n    pass\n"])
        #expect(((other["result"] as? [String: Any])?["findings"] as? [Any])?.isEmpty == true, "the edited legacy file no longer defines Invoice")

        let newFile = connection.request(6, "scanFile", ["path": "app/new.py", "content": "class Invoice:\n    pass\n"])
        #expect(((newFile["result"] as? [String: Any])?["findings"] as? [Any])?.count == 1, "an unsaved new file is checked too")
        let broken = connection.request(7, "scanFile", ["path": "app/main.py", "content": "def f(:\n"])
        #expect(((broken["result"] as? [String: Any])?["errors"] as? [Any])?.count == 1)
        #expect(try String(contentsOf: project.url.appendingPathComponent("app/main.py"), encoding: .utf8) == "x = 1\n", "the server never writes files")
        _ = connection.finish()
    }

    @Test func refusesPathsOutsideTheRoot() throws {
        let project = try Project(files)
        let outside = try Project(["secret.py": "class Invoice:\n    pass\n"])
        defer {
            project.remove()
            outside.remove()
        }
        try FileManager.default.createSymbolicLink(at: project.url.appendingPathComponent("link"), withDestinationURL: outside.url)
        let connection = Connection()
        _ = connection.request(1, "initialize", ["rootPath": project.url.path])
        for (offset, path) in ["../secret.py", "app/../../secret.py", outside.url.appendingPathComponent("secret.py").path, "link/secret.py", "link/new.py", "file:///etc/passwd"].enumerated() {
            let answer = connection.request(10 + offset, "scanFile", ["path": path, "content": ""])
            #expect(errorCode(answer) == -32602, "\(path)")
        }
        #expect(errorCode(connection.request(20, "scan", ["paths": ["link"]])) == -32602)
        #expect(errorCode(connection.request(21, "scan", ["paths": ["missing"]])) == -32602)
        #expect(connection.request(22, "scan", ["paths": ["app/./../app"]])["result"] != nil)
        _ = connection.finish()
    }

    @Test func malformedMessagesGetErrorsAndTheServerGoesOn() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        connection.send("{not json}\n")
        #expect(errorCode(connection.next()) == -32700)
        connection.send("Content-Length: abc\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"rules\"}")
        #expect(errorCode(connection.next()) == -32700)
        connection.send("Content-Length: 5\r\n\r\n{oops")
        #expect(errorCode(connection.next()) == -32700)
        connection.send("[" + String(repeating: "[", count: 10_000) + "\n")
        #expect(errorCode(connection.next()) == -32700)
        connection.send("\u{FF}\u{FE} random\n")
        #expect(errorCode(connection.next()) == -32700)
        connection.send("{\"id\": 3, \"method\": \"rules\"}\n")
        let invalid = connection.next()
        #expect(errorCode(invalid) == -32600)
        #expect(invalid["id"] as? Int == 3)
        connection.send("{\"jsonrpc\": \"2.0\", \"id\": {}, \"method\": \"rules\"}\n")
        #expect(errorCode(connection.next()) == -32600)
        connection.send("[1, 2]\n")
        #expect(errorCode(connection.next()) == -32600)
        #expect(errorCode(connection.request(4, "rules")) == -32002)
        #expect(connection.request(5, "initialize", ["rootPath": project.url.path])["result"] != nil)
        #expect(errorCode(connection.request(6, "no/such/method")) == -32601)
        #expect(errorCode(connection.request(7, "explain", ["rule": "duplicate_defnition"])) == -32602)
        let explained = connection.request(8, "explain", ["rule": "DUP001"], framing: .lineDelimited)
        #expect(((explained["result"] as? [String: Any])?["rule"] as? [String: Any])?["id"] as? String == "duplicate_definition")
        connection.send(["jsonrpc": "2.0", "method": "no/such/notification"])
        let rules = connection.request(9, "rules")
        #expect((rules["result"] as? [[String: Any]])?.contains { $0["id"] as? String == "duplicate_definition" } == true)
        _ = connection.finish()
    }

    @Test func cancelledRequestsAnswerRequestCancelled() throws {
        var tree: [String: String] = [:]
        for index in 0..<400 { tree["pkg\(index % 9)/mod\(index).py"] = "class Thing\(index % 13):\n    pass\n" }
        let project = try Project(tree)
        defer { project.remove() }
        let connection = Connection()
        _ = connection.request(1, "initialize", ["rootPath": project.url.path])
        connection.send(["jsonrpc": "2.0", "id": 2, "method": "scan"])
        connection.send(["jsonrpc": "2.0", "id": 3, "method": "scan"])
        connection.send(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 3]])
        let first = connection.next()
        #expect(first["id"] as? Int == 2 && first["result"] != nil)
        let second = connection.next()
        #expect(second["id"] as? Int == 3)
        #expect(errorCode(second) == -32800)
        #expect(connection.request(4, "scan")["result"] != nil, "a cancellation does not outlive its request")
        _ = connection.finish()
    }

    @Test func shutdownThenExitEndsWithZero() throws {
        let project = try Project(files)
        defer { project.remove() }
        let connection = Connection()
        _ = connection.request(1, "initialize", ["rootPath": project.url.path])
        let shutdown = connection.request(2, "shutdown")
        #expect(shutdown.keys.contains("result") && shutdown["result"] is NSNull)
        #expect(errorCode(connection.request(3, "scan")) == -32600)
        #expect(connection.finish() == 0)
    }
}
