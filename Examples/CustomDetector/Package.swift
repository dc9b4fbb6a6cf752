// swift-tools-version: 6.1
import PackageDescription

// A team's own Canon: one detector of its own beside the built-ins, and its own `team-canon` executable
// offering the same commands as `canon`. It depends on Canon by path; a real team would name Canon's URL.
let package = Package(
    name: "CustomDetector",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "team-canon", targets: ["team-canon"]),
        .library(name: "TeamRules", targets: ["TeamRules"]),
    ],
    dependencies: [.package(name: "Canon", path: "../..")],
    targets: [
        // The detector needs only Canon's core, like every built-in family.
        .target(name: "TeamRules", dependencies: [.product(name: "CanonCore", package: "Canon")]),
        .executableTarget(
            name: "team-canon",
            dependencies: [
                "TeamRules", .product(name: "Canon", package: "Canon"),
                .product(name: "CanonCommandLine", package: "Canon"),
            ]),
        .testTarget(
            name: "TeamRulesTests",
            dependencies: [
                "TeamRules", .product(name: "Canon", package: "Canon"),
                .product(name: "CanonCommandLine", package: "Canon"),
            ],
            exclude: ["Fixtures"]),
    ]
)
