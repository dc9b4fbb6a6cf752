// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Canon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "canon", targets: ["canon"]),
        .library(name: "Canon", targets: ["Canon"]),
        .library(name: "CanonCore", targets: ["CanonCore"]),
        .library(name: "CanonPython", targets: ["CanonPython"]),
        .library(name: "CanonPolicy", targets: ["CanonPolicy"]),
        .library(name: "CanonEngine", targets: ["CanonEngine"]),
        .library(name: "CanonReporting", targets: ["CanonReporting"]),
        .library(name: "CanonDuplicates", targets: ["CanonDuplicates"]),
        .library(name: "CanonLayers", targets: ["CanonLayers"]),
        .library(name: "CanonSingletons", targets: ["CanonSingletons"]),
        .library(name: "CanonSuppressions", targets: ["CanonSuppressions"]),
        .library(name: "CanonCommandLine", targets: ["CanonCommandLine"]),
        .library(name: "CanonServer", targets: ["CanonServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "CanonCore", swiftSettings: strict),
        .target(name: "CanonPython", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(
            name: "CanonPolicy",
            dependencies: ["CanonCore", .product(name: "Yams", package: "Yams")],
            resources: [.embedInCode("rules.yml")],
            swiftSettings: strict),
        .target(name: "CanonDuplicates", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(name: "CanonLayers", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(name: "CanonSingletons", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(name: "CanonSuppressions", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(
            name: "CanonEngine", dependencies: ["CanonCore", "CanonPython", "CanonPolicy"],
            swiftSettings: strict),
        .target(name: "CanonReporting", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(
            name: "Canon",
            dependencies: [
                "CanonCore", "CanonPolicy", "CanonEngine", "CanonReporting", "CanonDuplicates", "CanonLayers",
                "CanonSingletons", "CanonSuppressions",
            ],
            swiftSettings: strict),
        .target(name: "CanonServer", dependencies: ["Canon"], swiftSettings: strict),
        .target(
            name: "CanonCommandLine",
            dependencies: ["Canon", "CanonServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .executableTarget(name: "canon", dependencies: ["CanonCommandLine"], swiftSettings: strict),
        .executableTarget(name: "canon-policy-schema", dependencies: ["Canon"], swiftSettings: strict),
        .testTarget(name: "CanonCoreTests", dependencies: ["CanonCore"], swiftSettings: strict),
        .testTarget(name: "CanonPythonTests", dependencies: ["CanonPython"], swiftSettings: strict),
        .testTarget(name: "CanonPolicyTests", dependencies: ["Canon"], swiftSettings: strict),
        .testTarget(name: "CanonTests", dependencies: ["Canon"], swiftSettings: strict),
        .testTarget(
            name: "CanonEngineTests", dependencies: ["Canon"],
            swiftSettings: strict),
        .testTarget(name: "CanonDuplicatesTests", dependencies: ["Canon"], swiftSettings: strict),
        .testTarget(name: "CanonLayersTests", dependencies: ["Canon"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "CanonSingletonsTests", dependencies: ["CanonSingletons"], swiftSettings: strict),
        .testTarget(name: "CanonReportingTests", dependencies: ["Canon"], swiftSettings: strict),
        .testTarget(name: "CanonServerTests", dependencies: ["CanonServer"], swiftSettings: strict),
        .testTarget(
            name: "CanonCommandLineTests", dependencies: ["CanonCommandLine"], exclude: ["Fixtures"],
            swiftSettings: strict),
    ]
)
