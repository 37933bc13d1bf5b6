import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import STUNWire
import TURNCore
import TURNClient
@testable import TURNServer

/// A real server on loopback with ephemeral ports, two event loops, loopback peers allowed,
/// one static user and one shared secret; plus an event loop group for the test's clients.
struct LiveServer {
    static let username = "alice"
    static let password = "wonderland-7Qx"
    static let otherUsername = "bob"
    static let otherPassword = "builder-3Zk"
    static let sharedSecret = "shared-secret-for-tests"
    static let realm = "turnpike.test"
    /// Below Linux's ephemeral range (32768-60999), so a test peer's port is never mistaken for
    /// a relayed transport address of the server on the same loopback address.
    static let relayPorts: ClosedRange<UInt16> = 20_000...29_999

    let server: TURNServer
    let clients: MultiThreadedEventLoopGroup
    let logs: LogCapture

    static func configuration(
        tls: ServerConfiguration.TLS? = nil, ipv6: Bool = false, adjust: (inout ServerConfiguration) -> Void = { _ in }
    ) -> ServerConfiguration {
        var random = SeededGenerator(state: 7)
        var configuration = ServerConfiguration.development(random: &random)
        let v4 = TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0)
        let v6 = TransportAddress(ip: .v6(IPv6Address(rawValue: 1)), port: 0)
        configuration.listeners = .init(udp: ipv6 ? [v4, v6] : [v4], tcp: ipv6 ? [v4, v6] : [v4], tls: tls == nil ? [] : [v4])
        configuration.tls = tls
        configuration.server.eventLoops = .fixed(2)
        configuration.relay.ports = relayPorts
        configuration.http.address = nil
        configuration.authentication.realm = realm
        configuration.authentication.users = [username: .password(password), otherUsername: .password(otherPassword)]
        configuration.authentication.sharedSecrets = [sharedSecret]
        adjust(&configuration)
        return configuration
    }

    static func start(_ configuration: ServerConfiguration, sources: ConfigurationSources? = nil) async throws -> LiveServer {
        let logs = LogCapture()
        var logger = Logger(label: "turnpike-test") { _ in logs.handler() }
        logger.logLevel = .info
        let server = TURNServer(configuration: configuration, sources: sources, logger: logger)
        try await server.start()
        return LiveServer(server: server, clients: MultiThreadedEventLoopGroup(numberOfThreads: 1), logs: logs)
    }

    func address(_ transport: TURNClient.Transport, ipv6: Bool = false) -> TransportAddress {
        let bound = server.boundAddresses
        let list = switch transport {
        case .udp: bound.udp
        case .tcp: bound.tcp
        case .tls: bound.tls
        }
        return list.first { ipv6 ? $0.family == .ipv6 : $0.family == .ipv4 }!
    }

    func client(
        _ transport: TURNClient.Transport, ipv6: Bool = false,
        username: String = LiveServer.username, password: String = LiveServer.password, localHost: String? = nil
    ) async throws -> TURNClient {
        try await TURNClient(
            transport, server: address(transport, ipv6: ipv6), group: clients, username: username, password: password,
            localHost: localHost)
    }

    /// A peer on 127.0.0.2: loopback, but not the relay's own address (the peer policy refuses
    /// any port of the server's own addresses outside the relay range).
    func peer() async throws -> TestPeer {
        try await TestPeer(group: clients, host: "127.0.0.2")
    }

    func stop() async {
        await server.stop()
        try? await clients.shutdownGracefully()
    }
}

/// Collects log lines so tests can check what the server said, and wait (bounded) for a line.
final class LogCapture: Sendable {
    private struct State {
        var lines: [String] = []
        var waiters: [(String, EventLoopPromise<Void>)] = []
    }

    private let state = NIOLockedValueBox(State())

    var all: [String] { state.withLockedValue { $0.lines } }

    func handler() -> some LogHandler {
        JSONLogHandler(label: "test") { [self] line in append(line) }
    }

    private func append(_ line: String) {
        let ready = state.withLockedValue { state in
            state.lines.append(line)
            let (matched, waiting) = (state.waiters.filter { line.contains($0.0) }, state.waiters.filter { !line.contains($0.0) })
            state.waiters = waiting
            return matched.map(\.1)
        }
        for promise in ready { promise.succeed() }
    }

    /// Returns once a line containing every fragment of `text` has been logged (at once if one
    /// was already), or throws after `timeout`.
    func waitFor(_ text: String, on loop: any EventLoop, timeout: TimeAmount = .seconds(10)) async throws {
        let promise = loop.makePromise(of: Void.self)
        let already = state.withLockedValue { state in
            if state.lines.contains(where: { $0.contains(text) }) { return true }
            state.waiters.append((text, promise))
            return false
        }
        if already { promise.succeed() }
        let deadline = loop.scheduleTask(in: timeout) { promise.fail(MailboxTimeout()) }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        try await promise.futureResult.get()
    }
}

/// A throwaway self-signed certificate and key made with the openssl command: P-256 ECDSA, or
/// RSA 2048 with `rsa`.
func makeSelfSignedCertificate(rsa: Bool = false) throws -> ServerConfiguration.TLS {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let certificate = directory.appendingPathComponent("cert.pem").path
    let key = directory.appendingPathComponent("key.pem").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let keyType = rsa ? ["rsa:2048"] : ["ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    process.arguments = ["openssl", "req", "-x509", "-newkey"] + keyType + [
        "-nodes", "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TURNClient.ClientError(description: "openssl req failed") }
    return ServerConfiguration.TLS(certificatePath: certificate, privateKeyPath: key)
}

/// A port nothing listens on right now, for configuration files, which take no port 0.
///
/// It is drawn below the kernel's ephemeral range (32768-60999 here), where a port the kernel
/// handed out for a closed socket would go to the next client or peer socket another test binds
/// to port 0 ("Address already in use"), and below `LiveServer.relayPorts`, which the servers of
/// other tests bind relay sockets in.
func freePort(tcp: Bool) throws -> UInt16 {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<64 {
        let port = UInt16.random(in: freePortRange, using: &generator)
        if canBind(port, tcp: tcp) && canBind(port, tcp: !tcp) { return port }
    }
    throw TURNClient.ClientError(description: "no free port in \(freePortRange)")
}

private let freePortRange: ClosedRange<UInt16> = 10_000...19_999

private func canBind(_ port: UInt16, tcp: Bool) -> Bool {
    let descriptor = socket(AF_INET, tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    } == 0
}
