import CanonCore
import CanonPython
import Foundation
import FuzzDriver
import FuzzSupport

/// Any bytes are a Python file: the front end gives facts or a `SourceError`, and either points into the file.
/// libFuzzer's `-timeout` and `-rss_limit_mb` (set by run.sh) turn a hang or unbounded memory into a crash.
func fuzzPython(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    checkFacts(of: Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))) { source throws(SourceError) in
        try PythonFrontEnd.facts(source: source, path: "fuzz.py", module: "fuzz", isPackage: false, isStub: false)
    }
    return 0
}

exit(canon_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzPython))
