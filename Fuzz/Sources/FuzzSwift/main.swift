import CanonCore
import CanonSwift
import Foundation
import FuzzDriver
import FuzzSupport

/// The reader of a one-file project, the fuzzer's input being `Sources/Fuzz/Fuzz.swift`.
let reader = SwiftLanguage().reader(for: ProjectLayout(paths: ["Sources/Fuzz/Fuzz.swift"], read: { _ in nil }))

/// Any bytes are a Swift file: the front end gives facts or a `SourceError`, and either points into the file.
func fuzzSwift(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    checkFacts(of: Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))) { source throws(SourceError) in
        try reader.facts(source: source, path: "Sources/Fuzz/Fuzz.swift")
    }
    return 0
}

exit(canon_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzSwift))
