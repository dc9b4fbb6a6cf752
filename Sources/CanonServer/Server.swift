import Canon
import Dispatch
import Foundation

/// Canon as a JSON-RPC 2.0 server on a byte stream (standard input and output for `canon serve`), for editors
/// and coding agents.
///
/// Messages are framed as LSP frames them (`Content-Length`) or one JSON text a line when a message's first
/// byte is `{`; each answer uses its request's framing. Methods: `initialize`, `scan`, `scanFile`, `fixFile`,
/// `rules`, `explain`, `shutdown`, and the notifications `exit` and `$/cancelRequest`; long scans send `$/progress`.
/// Requests run one at a time, in order, while the input is still read, so a cancellation reaches a running
/// scan. Nothing the client sends stops the server but `exit` or the end of input.
public struct Server: Sendable {
    /// The methods the server answers, as `initialize` lists them.
    public static let methods = ["initialize", "scan", "scanFile", "fixFile", "rules", "explain", "shutdown", "exit", "$/cancelRequest"]

    public let registry: Registry
    /// Files parsed at once during a scan.
    public let jobs: Int

    public init(registry: Registry, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.registry = registry
        self.jobs = max(1, jobs)
    }

    /// Serves `input` until `exit` or its end, writing framed messages to `output`. Returns the exit code: 0
    /// when `shutdown` came first, 1 otherwise (as LSP specifies).
    public func run(input: any ByteInput, output: @escaping @Sendable ([UInt8]) -> Void) -> Int32 {
        let session = Session(server: self, output: output)
        var reader = MessageReader(input: input)
        while let frame = reader.next() {
            switch frame {
            case .malformed(let reason, let framing):
                session.sendError(id: .null, RPCError(RPCError.parseError, "parse error: \(reason)"), framing: framing)
            case .message(let bytes, let framing):
                guard let value = JSONValue.parse(bytes) else {
                    session.sendError(id: .null, RPCError(RPCError.parseError, "parse error: the message is not valid JSON"), framing: framing)
                    continue
                }
                switch Incoming(value) {
                case .invalid(let id, let reason):
                    session.sendError(id: id, RPCError(RPCError.invalidRequest, "invalid request: \(reason)"), framing: framing)
                case .response:
                    continue
                case .notification(let method, let params):
                    if method == "exit" { return session.finish() }
                    if method == "$/cancelRequest", let id = params?["id"] { session.cancel(id) }
                case .request(let id, let method, let params):
                    session.enqueue(id: id, method: method, params: params, framing: framing)
                }
            }
        }
        return session.finish()
    }
}

/// One connection's state. Requests run on a serial queue; the reading thread only marks cancellations.
final class Session: Sendable {
    private struct Control {
        var pending: Set<JSONValue> = []
        var cancelled: Set<JSONValue> = []
        var shutDown = false
    }

    private let server: Server
    private let output: @Sendable ([UInt8]) -> Void
    /// Held while a message is written, so that the reading thread's errors and the requests' answers do not
    /// interleave. A bare lock, since it guards no value: the thread sanitizer took the empty value of a
    /// `Locked<Void>` for its lock field, read before locking, and reported a race.
    private let writing = NSLock()
    /// The requests in flight, those cancelled, and whether the client asked to shut down. In `Locked`, not
    /// `Synchronization.Mutex`: the thread sanitizer does not see the futex hand-over inside `Mutex` and reported
    /// a race between two of its `withLock`s.
    private let control = Locked(Control())
    /// Touched only by requests, which run one at a time on `queue`; the lock keeps that provable.
    private let workspace = Locked<Workspace?>(nil)
    private let queue = DispatchQueue(label: "canon.server.requests")

    init(server: Server, output: @escaping @Sendable ([UInt8]) -> Void) {
        self.server = server
        self.output = output
    }

    func enqueue(id: JSONValue, method: String, params: JSONValue?, framing: Framing) {
        control.withLock { _ = $0.pending.insert(id) }
        queue.async { [self] in
            do throws(RPCError) {
                if isCancelled(id) { throw RPCError(RPCError.requestCancelled, "the request was cancelled") }
                try handle(id: id, method: method, params: params ?? .object([:]), framing: framing)
            } catch {
                sendError(id: id, error, framing: framing)
            }
            control.withLock {
                $0.pending.remove(id)
                $0.cancelled.remove(id)
            }
        }
    }

    func cancel(_ id: JSONValue) {
        control.withLock { state in
            if state.pending.contains(id) { state.cancelled.insert(id) }
        }
    }

    /// Waits for the requests already received (a client that wants one stopped cancels it first) and gives
    /// the exit code.
    func finish() -> Int32 {
        queue.sync {}
        return control.withLock { $0.shutDown } ? 0 : 1
    }

    private func isCancelled(_ id: JSONValue) -> Bool {
        control.withLock { $0.cancelled.contains(id) }
    }

    // MARK: - Methods

    private func handle(id: JSONValue, method: String, params: JSONValue, framing: Framing) throws(RPCError) {
        if control.withLock({ $0.shutDown }) {
            throw RPCError(RPCError.invalidRequest, "the server is shutting down: after 'shutdown' only 'exit' is accepted")
        }
        guard case .object = params else {
            throw RPCError(RPCError.invalidParams, "'\(method)' takes its parameters by name, in an object")
        }
        switch method {
        case "initialize":
            sendResult(id: id, try initialize(params), framing: framing)
        case "shutdown":
            control.withLock { $0.shutDown = true }
            sendResult(id: id, JSONValue.null, framing: framing)
        case "scan", "scanFile", "fixFile", "rules", "explain":
            try workspace.withLock { (current: inout Workspace?) throws(RPCError) in
                guard current != nil else {
                    throw RPCError(RPCError.serverNotInitialized, "'\(method)' before 'initialize'; send 'initialize' with the workspace root first")
                }
                switch method {
                case "scan":
                    sendResult(id: id, try scan(params, in: &current!, id: id, framing: framing), framing: framing)
                    // Answered; the next request waits while what scanFile keeps across edits is built.
                    current!.project?.prepareFileChecks(current!.rules, jobs: server.jobs)
                case "scanFile": sendResult(id: id, try scanFile(params, in: &current!, id: id, framing: framing), framing: framing)
                case "fixFile": sendResult(id: id, try fixFile(params, in: &current!, id: id, framing: framing), framing: framing)
                case "rules": sendResult(id: id, current!.policy.ruleListings(registry: server.registry), framing: framing)
                default: sendResult(id: id, try explain(params, in: current!), framing: framing)
                }
            }
        default:
            throw RPCError(RPCError.methodNotFound, "unknown method '\(method)'; the server answers \(Server.methods.joined(separator: ", "))")
        }
    }

    private struct InitializeResult: Encodable {
        struct Info: Encodable {
            let name: String
            let version: String
        }

        struct Capabilities: Encodable {
            let methods: [String]
            let framings: [String]
            let progress: Bool
            let cancellation: Bool
            /// How `fixFile` counts positions, as LSP's `positionEncoding` says it.
            let positionEncoding: String
            let fixFile: QuickFix.Shape
        }

        let serverInfo: Info
        let capabilities: Capabilities
        let rootPath: String
        let rules: [String]
    }

    private func initialize(_ params: JSONValue) throws(RPCError) -> InitializeResult {
        let root: URL
        if let uri = params["rootUri"]?.string {
            guard let url = URL(string: uri), url.isFileURL else {
                throw RPCError(RPCError.invalidParams, "rootUri '\(uri)' is not a file:// URI; give the workspace folder")
            }
            root = url
        } else if let path = params["rootPath"]?.string, path.hasPrefix("/") {
            root = URL(fileURLWithPath: path)
        } else {
            throw RPCError(RPCError.invalidParams, "'initialize' needs 'rootUri' (file://...) or an absolute 'rootPath'")
        }
        var policyFile: URL?
        if let policy = params["policy"] {
            guard let path = policy.string else { throw RPCError(RPCError.invalidParams, "'policy' must be a path") }
            policyFile = URL(fileURLWithPath: path, relativeTo: root)
        }
        let created = try Workspace(root: root, policyFile: policyFile, registry: server.registry)
        workspace.withLock { $0 = created }
        return InitializeResult(
            serverInfo: .init(name: "canon", version: CanonVersion.current),
            capabilities: .init(
                methods: Server.methods, framings: ["Content-Length", "newline-delimited"], progress: true, cancellation: true,
                positionEncoding: "utf-16", fixFile: QuickFix.shape),
            rootPath: created.root.path, rules: created.rules.map(\.description.id))
    }

    private func scan(_ params: JSONValue, in workspace: inout Workspace, id: JSONValue, framing: Framing) throws(RPCError) -> JSONReporter.Document {
        var reported: [String] = []
        switch params["paths"] {
        case nil, .null:
            break
        case .array(let items):
            for item in items {
                guard let raw = item.string else { throw RPCError(RPCError.invalidParams, "'paths' must be a list of strings") }
                let path = try workspace.relativePath(raw)
                guard FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent(path).path) else {
                    throw RPCError(RPCError.invalidParams, "'\(raw)' does not exist in the workspace; give a file or folder to scan")
                }
                reported.append(path)
            }
        default:
            throw RPCError(RPCError.invalidParams, "'paths' must be a list of strings")
        }
        let project = try load(workspace, id: id, framing: framing)
        workspace.project = project
        let scope = reported.isEmpty || reported.contains("") ? nil : reported
        let result = project.check(workspace.rules, reporting: scope, jobs: server.jobs)
        return JSONReporter.Document(
            Report(
                toolVersion: CanonVersion.current, fileCount: result.fileCount, findings: result.findings,
                errors: result.errors, skipped: result.skipped, rules: result.rules, suppressed: result.suppressed),
            jobs: server.jobs)
    }

    private func scanFile(_ params: JSONValue, in workspace: inout Workspace, id: JSONValue, framing: Framing) throws(RPCError) -> JSONReporter.Document {
        let (path, _, result) = try checkBuffer(params, method: "scanFile", in: &workspace, id: id, framing: framing)
        return JSONReporter.Document(
            Report(
                toolVersion: CanonVersion.current, fileCount: 1, findings: result.findings, errors: result.errors,
                skipped: workspace.project!.skipped.filter { $0.path == path }, rules: result.rules,
                suppressed: result.suppressed),
            jobs: server.jobs)
    }

    /// The edits that fix the buffer's fixable findings, checked as `canon fix` checks them; nothing is written.
    private func fixFile(_ params: JSONValue, in workspace: inout Workspace, id: JSONValue, framing: Framing) throws(RPCError) -> QuickFix {
        let (path, content, result) = try checkBuffer(params, method: "fixFile", in: &workspace, id: id, framing: framing)
        let project = workspace.project!
        return QuickFix(
            findings: result.findings, content: content, facts: project.files.first { $0.path == path }, index: project.projectIndex)
    }

    /// Lays the unsaved `content` of `path` over the project (read first if no scan has read it) and checks
    /// that file against the rest.
    private func checkBuffer(
        _ params: JSONValue, method: String, in workspace: inout Workspace, id: JSONValue, framing: Framing
    ) throws(RPCError) -> (path: String, content: String, result: ScanResult) {
        guard let raw = params["path"]?.string else { throw RPCError(RPCError.invalidParams, "'\(method)' needs 'path', a string") }
        guard let content = params["content"]?.string else {
            throw RPCError(RPCError.invalidParams, "'\(method)' needs 'content', the file's text as a string")
        }
        let path = try workspace.relativePath(raw)
        guard !path.isEmpty else { throw RPCError(RPCError.invalidParams, "'\(raw)' is the workspace root, not a file") }
        if workspace.project == nil { workspace.project = try load(workspace, id: id, framing: framing) }
        workspace.project!.update(path: path, contents: Array(content.utf8))
        return (path, content, workspace.project!.check(workspace.rules, reporting: [path], jobs: server.jobs))
    }

    private struct Explanation: Encodable {
        struct Option: Encodable {
            let key: String
            let summary: String
            let defaultValue: String?

            enum CodingKeys: String, CodingKey {
                case key, summary
                case defaultValue = "default"
            }
        }

        let rule: RuleListing
        let rationale: String
        let options: [Option]
        let text: String
        let markdown: String
    }

    private func explain(_ params: JSONValue, in workspace: Workspace) throws(RPCError) -> Explanation {
        guard let key = params["rule"]?.string else { throw RPCError(RPCError.invalidParams, "'explain' needs 'rule', an id or code") }
        guard let detector = server.registry.detector(for: key) else {
            let hint = Suggestions.closest(to: key, among: server.registry.keys).map { "; did you mean '\($0)'?" } ?? "; 'rules' lists them"
            throw RPCError(RPCError.invalidParams, "unknown rule '\(key)'\(hint)")
        }
        let description = detector.description
        let defaults = Self.defaultOptions(detector)
        let listing = workspace.policy.ruleListings(registry: server.registry).first { $0.id == description.id }!
        return Explanation(
            rule: listing, rationale: description.rationale,
            options: description.options.map { .init(key: $0.key, summary: $0.summary, defaultValue: defaults[$0.key].map(RuleDocumentation.render)) },
            text: RuleDocumentation.text(description, defaults: defaults),
            markdown: RuleDocumentation.markdown(description, defaults: defaults))
    }

    private static func defaultOptions<D: Detector>(_ type: D.Type) -> ConfigNode { D.Options.defaultNode }

    /// Reads the whole project, sending `$/progress` about twenty times on the way, and stopping when `id` is
    /// cancelled.
    private func load(_ workspace: Workspace, id: JSONValue, framing: Framing) throws(RPCError) -> ProjectSnapshot {
        struct Progress: Encodable {
            struct Value: Encodable {
                let done: Int
                let total: Int
            }

            let token: JSONValue
            let value: Value
        }
        let monitor = ScanMonitor(
            progress: { [self] done, total in
                guard done == total || done % max(1, total / 20) == 0 else { return }
                send(Outgoing.Notification(method: "$/progress", params: Progress(token: id, value: .init(done: done, total: total))), framing: framing)
            },
            isCancelled: { [self] in isCancelled(id) })
        do {
            return try ProjectSnapshot.load(
                root: workspace.root, policy: workspace.policy, jobs: server.jobs, frontEnds: server.registry.frontEnds,
                monitor: monitor)
        } catch .cancelled {
            throw RPCError(RPCError.requestCancelled, "the request was cancelled")
        } catch {
            throw RPCError(RPCError.internalError, error.description)
        }
    }

    // MARK: - Output

    func sendResult<Result: Encodable>(id: JSONValue, _ result: Result, framing: Framing) {
        send(Outgoing.Response(id: id, result: result), framing: framing)
    }

    func sendError(id: JSONValue, _ error: RPCError, framing: Framing) {
        send(Outgoing.ErrorResponse(id: id, error: .init(code: error.code, message: error.message)), framing: framing)
    }

    private func send<Message: Encodable>(_ message: Message, framing: Framing) {
        let bytes = framing.frame(Outgoing.encode(message))
        writing.lock()
        defer { writing.unlock() }
        output(bytes)
    }
}
