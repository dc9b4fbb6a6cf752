import Canon
import CanonPolicy
import Foundation
import FuzzDriver

let loader = PolicyLoader(registry: BuiltinRules.registry())

/// Any text is a `.canon.yml`: the loader gives a policy whose rules configure, or a `PolicyError`. The file
/// lies in a folder that does not exist, so a relative `extends:` names a missing file.
func fuzzPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    do {
        let policy = try loader.load(text: text, file: "/nonexistent/canon-fuzz/.canon.yml")
        _ = try policy.configuredRules(registry: loader.registry)
    } catch {
        precondition(!"\(error)".isEmpty)
    }
    return 0
}

exit(canon_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzPolicy))
