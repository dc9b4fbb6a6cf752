// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Canon's input readers, one executable each. A package of its own (depending on Canon
// by path) so the normal `swift build` never sees them; build and run them with `Fuzz/run.sh TARGET SECONDS`,
// which passes `-sanitize=fuzzer,address` and uses its own scratch path.
let package = Package(
    name: "CanonFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Canon", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: [.product(name: "CanonCore", package: "Canon")]),
        .executableTarget(
            name: "fuzz-python", dependencies: [
                "FuzzDriver", "FuzzSupport", .product(name: "CanonCore", package: "Canon"),
                .product(name: "CanonPython", package: "Canon"),
            ],
            path: "Sources/FuzzPython", swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "fuzz-swift",
            dependencies: [
                "FuzzDriver", "FuzzSupport", .product(name: "CanonCore", package: "Canon"), .product(name: "CanonSwift", package: "Canon")],
            path: "Sources/FuzzSwift", swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "fuzz-policy",
            dependencies: [
                "FuzzDriver", .product(name: "Canon", package: "Canon"), .product(name: "CanonPolicy", package: "Canon")],
            path: "Sources/FuzzPolicy", swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "fuzz-rpc",
            dependencies: [
                "FuzzDriver", .product(name: "Canon", package: "Canon"), .product(name: "CanonServer", package: "Canon")],
            path: "Sources/FuzzRPC", swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
