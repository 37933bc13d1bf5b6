// swift-tools-version: 6.1
import PackageDescription

/// Microbenchmarks of the relay core, kept out of the root package so CI's main build does not
/// compile ordo-one/benchmark. Run from this directory: `swift package benchmark`.
let package = Package(
    name: "TurnpikeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Turnpike", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "RelayCoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TURNCore", package: "Turnpike"),
                .product(name: "STUNWire", package: "Turnpike"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/RelayCoreBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
