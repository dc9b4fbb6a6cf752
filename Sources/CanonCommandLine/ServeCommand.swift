import ArgumentParser
import Canon
import CanonServer
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `canon serve`: the JSON-RPC server on standard input and output, for editors and agents.
struct ServeCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer JSON-RPC 2.0 requests on standard input and output (for editors and agents).",
        discussion: "Frames: LSP's Content-Length headers, or one JSON text a line. Methods: initialize, scan, scanFile, rules, explain, shutdown, exit.")

    @Option(name: .long, help: "How many threads to work on: files parsed at once, the index, rules run at once (default: the number of cores).")
    var jobs: Int?

    func run(policies: PolicyLoader, console: Console) throws -> Int32 {
        let registry = policies.registry
        if let jobs, jobs < 1 { throw CommandFailure(message: "--jobs must be at least 1, not \(jobs)") }
        // The server runs on: what it frees goes back to the system, as the command-line tool's one run does not.
        if console.exitsAfterCommand { Allocator.tuneForLongRun() }
        let server = Server(registry: registry, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        return server.run(input: FileDescriptorInput(descriptor: STDIN_FILENO)) { console.write(String(decoding: $0, as: UTF8.self)) }
    }
}
