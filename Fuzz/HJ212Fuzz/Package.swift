// swift-tools-version: 6.2
// libFuzzer target for the HJ 212 codec (issue 4). `Sources/HJ212` is a symlink to the codec's sources, so this package
// needs only swift-nio (depending on the root package would also build its plugins with the sanitizer flags, which
// fails to link). Build and run from this folder (see docs/hj212.md):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address
//   mkdir -p Corpus && .build/release/HJ212Fuzz -runs=10000000 -max_len=4096 -rss_limit_mb=1024 Corpus Seeds
import PackageDescription

let package = Package(
    name: "HJ212Fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "HJ212",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [
                .swiftLanguageMode(.v6), .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"), .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        .executableTarget(name: "HJ212Fuzz", dependencies: ["HJ212"], swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
