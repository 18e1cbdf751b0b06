// swift-tools-version: 6.2
// Qingshan benchmarks: a separate package so the main build never depends on the benchmark tooling.
// Run from this folder: `swift package benchmark` (ordo-one/benchmark), or the plain timers with `swift run -c release`.
import PackageDescription

let package = Package(
    name: "QingshanBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "qingshan", path: ".."),  // named, so the products resolve whatever the checkout folder is called
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // Standards (AQI, water classes …): see StandardsBenchmarks.
        .executableTarget(
            name: "StandardsBenchmarks",
            dependencies: [
                .product(name: "Standards", package: "qingshan"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "StandardsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // HJ 212 decode throughput (issue 4): typical packets, scan + CRC + header + items, against a memchr scan.
        .target(
            name: "HJ212BenchmarkSupport",
            dependencies: [.product(name: "HJ212", package: "qingshan")],
            path: "HJ212BenchmarkSupport"
        ),
        .executableTarget(
            name: "HJ212Benchmarks",
            dependencies: [
                "HJ212BenchmarkSupport",
                .product(name: "HJ212", package: "qingshan"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "HJ212Benchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "HJ212Throughput",
            dependencies: ["HJ212BenchmarkSupport", .product(name: "HJ212", package: "qingshan")],
            path: "HJ212Throughput"
        ),
        // Monitoring (issue 5): a year of 50 stations stored, rolled up and evaluated; 10 million observations.
        .executableTarget(
            name: "MonitoringBench",
            dependencies: [
                .product(name: "Store", package: "qingshan"),
                .product(name: "Domain", package: "qingshan"),
                .product(name: "Standards", package: "qingshan"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "MonitoringBench"
        ),
        // HJ 212 gateway load: a one-thread epoll generator (no NIO) cheap enough to load the gateway on 2 cores.
        // See scripts/gateway-load.sh.
        .executableTarget(
            name: "GatewayLoad",
            dependencies: [.product(name: "HJ212", package: "qingshan")],
            path: "GatewayLoad"
        ),
    ]
)
