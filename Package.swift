// swift-tools-version: 6.2
import PackageDescription

/// Every target of ours builds in the Swift 6 language mode (strict concurrency) and treats
/// warnings in our code as errors; dependencies keep their own settings.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Turnpike",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "turnpike", targets: ["turnpike"]),
        .library(name: "STUNWire", targets: ["STUNWire"]),
        .library(name: "TURNCore", targets: ["TURNCore"]),
        .library(name: "TURNServer", targets: ["TURNServer"]),
        .library(name: "TurnpikeXDP", targets: ["TurnpikeXDP"]),
        // libFuzzer entry points; see docs/fuzzing.md.
        .executable(name: "FuzzMessageDecoder", targets: ["FuzzMessageDecoder"]),
        .executable(name: "FuzzStreamDeframer", targets: ["FuzzStreamDeframer"]),
        .executable(name: "FuzzRelayCore", targets: ["FuzzRelayCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // YAML files and command-line arguments as configuration providers; JSON (the default
        // trait) is not needed. Reloading is not enabled: SIGHUP re-reads the sources explicitly.
        .package(
            url: "https://github.com/apple/swift-configuration.git",
            from: "1.4.0",
            traits: ["YAML", "CommandLineArguments"]
        ),
        // Walked directly to report unknown keys and to enumerate users in the YAML file.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // The server shell: TLS listeners, lifecycle (signals, graceful shutdown) and logging.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Operations: Prometheus metrics, /metrics /healthz /readyz and the admin API (issue 6).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CLibbpf",
            pkgConfig: "libbpf",
            providers: [.apt(["libbpf-dev"])]
        ),
        .target(
            name: "STUNWire",
            dependencies: [
                "CSodium",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TURNCore",
            dependencies: ["STUNWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .target(
            name: "TURNServer",
            dependencies: [
                "STUNWire",
                "TURNCore",
                "TurnpikeXDP",
                "CTurnpikeNet",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // TLSUserEvent: a stream's TLS handshake finished (its handshake deadline).
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTP1Channel's idle timeout and the connection cap of the metrics endpoint.
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        // A TURN client (UDP, TCP, TLS) for `turnpike probe`, `turnpike bench` and the live tests.
        .target(
            name: "TURNClient",
            dependencies: [
                "STUNWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "turnpike",
            dependencies: [
                "STUNWire",
                "TURNCore",
                "TURNServer",
                "TURNClient",
                "CLibbpf",
                "CSodium",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Batched UDP sends (sendmmsg) whose per-datagram errors never close a socket.
        .target(name: "CTurnpikeNet"),
        // The kernel/userspace ABI of the XDP fast path (turnpike_xdp.h) and a libbpf log shim.
        .target(name: "CTurnpikeXDP", dependencies: ["CLibbpf"]),
        // Compiles ebpf/turnpike.bpf.c with clang -target bpf and writes it out as Swift source.
        .executableTarget(name: "TurnpikeBPFEmbed", swiftSettings: strict),
        .plugin(
            name: "TurnpikeBPFPlugin",
            capability: .buildTool(),
            dependencies: ["TurnpikeBPFEmbed"]
        ),
        // Loads, configures and attaches the embedded XDP program; syncs its maps; reads counters.
        .target(
            name: "TurnpikeXDP",
            dependencies: ["CLibbpf", "CTurnpikeXDP", "STUNWire"],
            swiftSettings: strict,
            plugins: ["TurnpikeBPFPlugin"]
        ),
        .target(name: "CFuzzEntry", path: "Fuzz/CFuzzEntry"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzEntry"], path: "Fuzz/Support", swiftSettings: strict),
        .executableTarget(
            name: "FuzzMessageDecoder",
            dependencies: ["STUNWire", "FuzzSupport", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/MessageDecoder",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FuzzStreamDeframer",
            dependencies: ["STUNWire", "FuzzSupport", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/StreamDeframer",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FuzzRelayCore",
            dependencies: ["TURNCore", "STUNWire", "FuzzSupport", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/Core",
            swiftSettings: strict
        ),
        .testTarget(
            name: "STUNWireTests",
            dependencies: ["STUNWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TURNServerTests",
            dependencies: [
                "TURNServer", "TURNCore", "STUNWire", "TurnpikeXDP", "TURNClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TURNCoreTests",
            dependencies: ["TURNCore", "STUNWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TurnpikeXDPTests",
            dependencies: [
                "TurnpikeXDP", "CTurnpikeXDP", "CLibbpf", "STUNWire",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ]
)
