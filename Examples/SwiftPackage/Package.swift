// swift-tools-version: 6.1
import PackageDescription

// A package that uses Canon's plugins: `swift package canon` scans it, and the build-tool plugin scans each
// target during `swift build`, showing findings as warnings. It depends on Canon by path; a real package
// would name Canon's URL.
let package = Package(
    name: "SwiftPackage",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Canon", path: "../..")],
    targets: [
        .target(name: "Store", plugins: [.plugin(name: "CanonBuildToolPlugin", package: "Canon")]),
        .target(name: "LegacyStore", plugins: [.plugin(name: "CanonBuildToolPlugin", package: "Canon")]),
    ]
)
