import ArgumentParser
import Canon
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A subcommand that runs against a registry and returns its exit code.
protocol RegistryCommand {
    /// Runs with the rules and front ends of `policies.registry`, loading policies with `policies`, whose
    /// built-in default is being built meanwhile (`PolicyLoader.preparingDefault`).
    func run(policies: PolicyLoader, console: Console) throws -> Int32
}

/// Exit codes, as CI reads them.
public enum ExitCode32 {
    /// Nothing at or above the fail level.
    public static let clean: Int32 = 0
    /// Findings at or above the fail level.
    public static let findings: Int32 = 1
    /// A usage, policy or internal error.
    public static let failure: Int32 = 2
}

/// The `canon` command line, usable by any executable: the stock `canon` passes the built-in registry, a team's
/// own tool passes a registry with its detectors added.
public enum CommandLineTool {
    /// Parses `arguments` (without the program name), runs the command and returns the exit code.
    public static func run(_ arguments: [String], registry: Registry, console: Console = Console()) -> Int32 {
        // Started first: it runs while the arguments are parsed.
        let policies = PolicyLoader.preparingDefault(registry: registry)
        do {
            var command = try CanonCommand.parseAsRoot(arguments)
            if let runnable = command as? any RegistryCommand {
                return try runnable.run(policies: policies, console: console)
            }
            try command.run()
            return ExitCode32.clean
        } catch let error as CommandFailure {
            console.error("canon: \(error.message)")
            return ExitCode32.failure
        } catch {
            let code = CanonCommand.exitCode(for: error)
            let message = CanonCommand.fullMessage(for: error)
            if code == .success {
                console.write(message + "\n")
                return ExitCode32.clean
            }
            console.error(message)
            return ExitCode32.failure
        }
    }

    /// Runs with the process's arguments and exits.
    public static func main(registry: Registry) -> Never {
        signal(SIGPIPE, SIG_IGN)
        Allocator.tuneForOneRun()
        let code = run(Array(CommandLine.arguments.dropFirst()), registry: registry)
        exit(code)
    }
}

/// The C allocator's settings for a process that runs one command and exits, which `serve` puts back.
enum Allocator {
    /// Keeps large blocks in mappings of their own and freed memory in the process (see the comments).
    /// Each setting the environment gives (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TOP_PAD_`) still wins.
    static func tuneForOneRun() {
        // glibc raises its threshold for serving an allocation with its own mapping each time such a block is
        // freed, up to 32 MiB; once a scan frees its cache file (about 30 MB on a large tree), the large tables
        // built after it come from the heap and leave holes it cannot give back. A fixed threshold keeps them
        // mapped: peak memory of a re-scan after an edit 307 -> 265 MiB, for no measured time.
        set(mmapThreshold, to: 4 << 20, unlessSetBy: "MALLOC_MMAP_THRESHOLD_")
        // glibc gives the free top of a heap back to the system once it passes 128 KiB, and a thread's heap then
        // grows again page by page, each page faulted in anew: a cold scan of the corpora took 75,000 page
        // faults. Keeping 64 MiB of it for the next phase: 62,000 faults, cold scan 0.96 and edit+ 0.92 of the
        // time (Benchmarks/README), peak memory 266 -> 272 MiB.
        set(topPad, to: 64 << 20, unlessSetBy: "MALLOC_TOP_PAD_")
    }

    /// Puts back glibc's default top pad for a process that runs on (the server), which should give freed
    /// memory back.
    static func tuneForLongRun() {
        set(topPad, to: 128 << 10, unlessSetBy: "MALLOC_TOP_PAD_")
    }

    // Swift's Glibc module leaves out <malloc.h>; these are its `M_MMAP_THRESHOLD` and `M_TOP_PAD`.
    private static let mmapThreshold: Int32 = -3
    private static let topPad: Int32 = -2

    private static func set(_ parameter: Int32, to value: Int32, unlessSetBy variable: String) {
        #if canImport(Glibc)
            guard ProcessInfo.processInfo.environment[variable] == nil,
                let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
            else { return }
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: MallOpt.self)(parameter, value)
        #endif
    }
}

/// An error that ends a command with exit code 2 and a message for the user.
struct CommandFailure: Error {
    let message: String
}

/// Where output goes: standard output and error by default, with broken pipes ending output quietly; tests
/// pass sinks that capture it.
public struct Console: Sendable {
    private let out: @Sendable (String) -> Void
    /// Where `write(bytes:)` puts bytes as they are; nil: through `out`, as text.
    private var outBytes: (@Sendable ([UInt8]) -> Void)?
    private let err: @Sendable (String) -> Void
    /// Whether findings may be coloured.
    public let wantsColor: Bool
    /// Whether standard error is a terminal, where a progress line may be drawn and redrawn.
    public let errorIsTerminal: Bool
    /// The environment variables the commands read (`XDG_CACHE_HOME`, `HOME` for the cache).
    public let environment: [String: String]
    /// Whether the process ends when the command does, so a scan's facts and index need not be freed.
    private(set) var exitsAfterCommand = false

    /// The process's standard output and error; colour when standard output is a terminal and `NO_COLOR` is
    /// unset or empty.
    public init() {
        let environment = ProcessInfo.processInfo.environment
        let noColor = environment["NO_COLOR"] ?? ""
        self.init(
            wantsColor: isatty(STDOUT_FILENO) == 1 && noColor.isEmpty,
            errorIsTerminal: isatty(STDERR_FILENO) == 1, environment: environment,
            out: { Self.put($0, to: STDOUT_FILENO) }, err: { Self.put($0, to: STDERR_FILENO) })
        outBytes = { bytes in bytes.withUnsafeBytes { _ = FileOutput.writeAll($0, to: STDOUT_FILENO) } }
        exitsAfterCommand = true
    }

    /// A console writing to the given sinks. With an empty `environment` there is no default cache folder.
    public init(
        wantsColor: Bool, errorIsTerminal: Bool = false, environment: [String: String] = [:],
        out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void
    ) {
        self.wantsColor = wantsColor
        self.errorIsTerminal = errorIsTerminal
        self.environment = environment
        self.out = out
        self.err = err
    }

    public func write(_ text: String) { out(text) }

    /// Writes UTF-8 text given as bytes to standard output, without first making a `String` of a report of
    /// megabytes.
    public func write(bytes: [UInt8]) {
        if let outBytes { outBytes(bytes) } else { out(String(decoding: bytes, as: UTF8.self)) }
    }

    public func error(_ text: String) { err(text.hasSuffix("\n") ? text : text + "\n") }

    /// Writes `text` to standard error as it is, for a progress line that redraws itself.
    public func status(_ text: String) { err(text) }

    /// Writes `text` to an output stream; a closed one (a broken pipe) takes nothing more, silently.
    private static func put(_ text: String, to descriptor: Int32) {
        _ = writeAll(text, to: descriptor)
    }
}

/// Writes all of `text` to `descriptor`, again after an interrupted or partial write; the `errno` of the first
/// failure, or nil when everything was written.
private func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
    text.withBorrowedUTF8 { FileOutput.writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
}

/// Writes `text` to `path` atomically: a temporary file beside it, then put in its place (`FileOutput.replace`),
/// so a reader never sees half and a failed write leaves what was there. Not flushed to the disk (`fsync`, as
/// `Data.write(options: .atomic)` does): a report can be written again, and the flush took longer than the rest
/// of a cached scan's report.
func writeAtomically(_ text: String, to path: String) throws {
    try text.withBorrowedUTF8 { try writeAtomically(UnsafeRawBufferPointer($0), to: path) }
}

/// `writeAtomically` for text given as bytes.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    try bytes.withUnsafeBytes { try writeAtomically($0, to: path) }
}

private func writeAtomically(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = "\(url.deletingLastPathComponent().path)/.\(url.lastPathComponent).canon-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    func failure(_ reason: String) -> CommandFailure {
        CommandFailure(message: "cannot write '\(path)': \(reason); check the folder exists and is writable")
    }
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else { throw failure(String(cString: strerror(errno))) }
    var problem = FileOutput.writeAll(bytes, to: descriptor).map { String(cString: strerror($0)) }
    if close(descriptor) != 0, problem == nil { problem = String(cString: strerror(errno)) }
    if problem == nil, let code = FileOutput.replace(path, with: temporary) { problem = String(cString: strerror(code)) }
    if let problem {
        unlink(temporary)
        throw failure(problem)
    }
}
