// swift-tools-version: 6.1
import PackageDescription

// Canon's benchmarks, a package of their own so that Canon itself never depends on package-benchmark.
// Run from this folder: `swift package benchmark` (see README.md).
let package = Package(
    name: "CanonBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Canon", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "SyntheticTree", swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "generate-tree", dependencies: ["SyntheticTree"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "CanonBenchmarks",
            dependencies: [
                "SyntheticTree",
                .product(name: "Canon", package: "Canon"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CanonBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
