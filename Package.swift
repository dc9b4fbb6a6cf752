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
        .library(name: "CanonImports", targets: ["CanonImports"]),
        .library(name: "CanonDeprecations", targets: ["CanonDeprecations"]),
        .library(name: "CanonFix", targets: ["CanonFix"]),
        .library(name: "CanonSuppressions", targets: ["CanonSuppressions"]),
        .library(name: "CanonCommandLine", targets: ["CanonCommandLine"]),
        .library(name: "CanonServer", targets: ["CanonServer"]),
        .library(name: "CanonSwift", targets: ["CanonSwift"]),
        .plugin(name: "CanonCommandPlugin", targets: ["CanonCommandPlugin"]),
        .plugin(name: "CanonBuildToolPlugin", targets: ["CanonBuildToolPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-syntax.git", exact: "603.0.1"),
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
        .target(name: "CanonImports", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(name: "CanonDeprecations", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(name: "CanonSuppressions", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(
            name: "CanonEngine", dependencies: ["CanonCore", "CanonPython", "CanonPolicy"],
            swiftSettings: strict),
        .target(name: "CanonReporting", dependencies: ["CanonCore"], swiftSettings: strict),
        .target(
            name: "CanonFix", dependencies: ["CanonCore", "CanonPython", "CanonPolicy", "CanonEngine"],
            swiftSettings: strict),
        .target(
            name: "Canon",
            dependencies: [
                "CanonCore", "CanonPolicy", "CanonEngine", "CanonReporting", "CanonDuplicates", "CanonLayers",
                "CanonSingletons", "CanonImports", "CanonDeprecations", "CanonFix", "CanonSwift", "CanonSuppressions",
            ],
            swiftSettings: strict),
        .target(name: "CanonServer", dependencies: ["Canon"], swiftSettings: strict),
        .target(
            name: "CanonSwift",
            dependencies: [
                "CanonCore", .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
            ],
            swiftSettings: strict),
        .plugin(
            name: "CanonCommandPlugin",
            capability: .command(
                intent: .custom(verb: "canon", description: "Scan the package with Canon and report its dual patterns")),
            dependencies: ["canon"]),
        .plugin(name: "CanonBuildToolPlugin", capability: .buildTool(), dependencies: ["canon"]),
        .target(
            name: "CanonCommandLine",
            dependencies: ["Canon", "CanonImports", "CanonServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
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
        .testTarget(name: "CanonSwiftTests", dependencies: ["Canon"], swiftSettings: strict),
        .testTarget(name: "CanonImportsTests", dependencies: ["Canon", "CanonImports"], swiftSettings: strict),
        .testTarget(name: "CanonDeprecationsTests", dependencies: ["Canon", "CanonDeprecations"], swiftSettings: strict),
        .testTarget(name: "CanonReportingTests", dependencies: ["Canon", "CanonReporting"], swiftSettings: strict),
        .testTarget(name: "CanonServerTests", dependencies: ["CanonServer"], swiftSettings: strict),
        .testTarget(name: "CanonFixTests", dependencies: ["Canon"], swiftSettings: strict),
        .testTarget(
            name: "CanonCommandLineTests", dependencies: ["CanonCommandLine"], exclude: ["Fixtures"],
            swiftSettings: strict),
    ]
)
