import Benchmark
import Canon
import CanonPython
import Foundation
import SyntheticTree

/// The tree every benchmark reads: `CANON_BENCH_TREE` if set (the shared corpora, say), else a synthetic tree
/// of `CANON_BENCH_FILES` files (default 2,000) written once to a temporary folder.
final class Workload: Sendable {
    let root: URL
    let sources: [(path: String, bytes: [UInt8], module: String, isPackage: Bool)]
    let byteCount: Int
    let policy: Policy
    let rules: [ConfiguredRule]
    let facts: [FileFacts]

    init() {
        let environment = ProcessInfo.processInfo.environment
        let root: URL
        if let tree = environment["CANON_BENCH_TREE"] {
            root = URL(fileURLWithPath: tree)
        } else {
            let files = environment["CANON_BENCH_FILES"].flatMap(Int.init) ?? 2_000
            root = FileManager.default.temporaryDirectory.appendingPathComponent("canon-bench-\(files)")
            if !FileManager.default.fileExists(atPath: root.appendingPathComponent("pkg0/__init__.py").path) {
                // A benchmark without its tree cannot run: stop with the reason.
                do { try SyntheticTree(files: files).write(to: root) } catch { fatalError("cannot write the synthetic tree at \(root.path): \(error)") }
            }
        }
        let registry = BuiltinRules.registry()
        do {
            policy = try PolicyLoader(registry: registry).defaultPolicy()
            rules = try policy.configuredRules(registry: registry)
        } catch {
            fatalError("the built-in policy does not load: \(error)")
        }
        let collected = Engine.collectFacts(root: root, policy: policy, jobs: 1)
        facts = collected.files
        let naming = ModuleNaming(root: root)
        sources = collected.files.map { file in
            let bytes = (try? Data(contentsOf: root.appendingPathComponent(file.path))).map { [UInt8]($0) } ?? []
            let (module, isPackage) = naming.module(forPath: file.path)
            return (file.path, bytes, module, isPackage)
        }
        byteCount = sources.reduce(0) { $0 + $1.bytes.count }
        self.root = root
    }

    func rules(of family: RuleFamily) -> [ConfiguredRule] { rules.filter { $0.description.family == family } }
}

let workload = Workload()

extension BenchmarkMetric {
    /// Megabytes of Python parsed per second of wall time.
    static var megabytesPerSecond: BenchmarkMetric { .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false) }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
        warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 10)

    Benchmark(
        "Front end, one thread",
        configuration: .init(metrics: [.wallClock, .megabytesPerSecond, .mallocCountTotal], warmupIterations: 1, maxIterations: 5)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let start = DispatchTime.now().uptimeNanoseconds
            for source in workload.sources {
                blackHole(
                    try? PythonFrontEnd.facts(
                        source: source.bytes, path: source.path, module: source.module, isPackage: source.isPackage,
                        isStub: source.path.hasSuffix(".pyi")))
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            benchmark.measurement(.megabytesPerSecond, Int(Double(workload.byteCount) / 1e6 / seconds))
        }
    }

    Benchmark("Index build") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ProjectIndex(files: workload.facts))
        }
    }

    for family in [RuleFamily.duplicates, .layers, .singletons, .imports, .deprecations] {
        let rules = workload.rules(of: family)
        if rules.isEmpty { continue }
        Benchmark("Detectors, \(family) (\(rules.count) rules)") { benchmark in
            let context = DetectionContext(index: ProjectIndex(files: workload.facts), settings: workload.policy.settings)
            benchmark.startMeasurement()
            blackHole(Engine.run(rules, on: context, jobs: 1))
            benchmark.stopMeasurement()
        }
    }

    Benchmark("Scan, cold (no cache)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine.scan(ScanRequest(root: workload.root, policy: workload.policy, rules: workload.rules)))
        }
    }

    let cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("canon-bench-cache-\(getpid())")
    Benchmark(
        "Scan, warm (cache, nothing changed)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident], warmupIterations: 1, maxIterations: 20,
            setup: { _ = try? Engine.scan(ScanRequest(root: workload.root, policy: workload.policy, rules: workload.rules, cache: ScanCache(folder: cacheFolder))) },
            teardown: { try? FileManager.default.removeItem(at: cacheFolder) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try Engine.scan(
                    ScanRequest(root: workload.root, policy: workload.policy, rules: workload.rules, cache: ScanCache(folder: cacheFolder))))
        }
    }

    // The two edits of `scripts/compare.sh`, on a copy of the tree (the tree itself is never written): a line
    // appended to its first file before each scan, which the scan then follows from its cache. A comment changes
    // no fact (the last findings are kept); an import does (every rule runs again).
    for (name, line) in [("Scan, after an edit that changes no fact (a comment)", "# edited"), ("Scan, after an edit that adds an import (edit+)", "import os")] {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("canon-bench-edited-\(getpid())")
        let editCache = FileManager.default.temporaryDirectory.appendingPathComponent("canon-bench-edit-cache-\(getpid())")
        func scan() throws -> ScanResult {
            try Engine.scan(ScanRequest(root: copy, policy: workload.policy, rules: workload.rules, cache: ScanCache(folder: editCache)))
        }
        Benchmark(
            name,
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .peakMemoryResident], warmupIterations: 1, maxIterations: 20,
                setup: {
                    for folder in [copy, editCache] { try? FileManager.default.removeItem(at: folder) }
                    do {
                        try FileManager.default.copyItem(at: workload.root, to: copy)
                        _ = try scan()
                    } catch {
                        fatalError("cannot copy \(workload.root.path) to \(copy.path) and scan it: \(error)")
                    }
                },
                teardown: { for folder in [copy, editCache] { try? FileManager.default.removeItem(at: folder) } })
        ) { benchmark in
            guard let first = workload.facts.first else { return }
            let edited = try FileHandle(forWritingTo: copy.appendingPathComponent(first.path))
            try edited.seekToEnd()
            try edited.write(contentsOf: Data("\n\(line)\n".utf8))
            try edited.close()
            benchmark.startMeasurement()
            blackHole(try scan())
            benchmark.stopMeasurement()
        }
    }
}
