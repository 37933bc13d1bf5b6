import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import STUNWire
import TURNClient
@testable import TURNServer

/// A live server (see `LiveServer`) plus its operations services: `/metrics` on an ephemeral
/// loopback port and the admin API on a socket in a fresh temporary directory.
struct OperationsServer {
    let live: LiveServer
    let httpPort: UInt16
    let adminSocket: String
    let group: ServiceGroup
    let running: Task<Void, any Error>

    static func start(
        _ configuration: ServerConfiguration = LiveServer.configuration(), sources: ConfigurationSources? = nil,
        adjustHTTP: (inout MetricsHTTPService) -> Void = { _ in }
    ) async throws -> OperationsServer {
        let live = try await LiveServer.start(configuration, sources: sources)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-ops-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let socket = directory.appendingPathComponent("admin.sock").path
        let logger = Logger(label: "turnpike-ops-test") { _ in SwiftLogNoOpLogHandler() }
        let (ports, portSink) = AsyncStream<UInt16>.makeStream()
        let (admins, adminSink) = AsyncStream<Void>.makeStream()
        var http = MetricsHTTPService(
            server: live.server, address: TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), logger: logger,
            onRunning: { address in portSink.yield(address.port) })
        adjustHTTP(&http)
        let admin = AdminService(server: live.server, path: socket, mode: 0o600, logger: logger, onRunning: { adminSink.yield() })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: http), .init(service: admin)], logger: logger))
        let running = Task { try await group.run() }
        var portIterator = ports.makeAsyncIterator()
        var adminIterator = admins.makeAsyncIterator()
        guard let port = await portIterator.next(), await adminIterator.next() != nil else {
            throw TURNClient.ClientError(description: "operations services did not start")
        }
        return OperationsServer(live: live, httpPort: port, adminSocket: socket, group: group, running: running)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await live.stop()
    }

    /// GET/POST/DELETE on the admin API, decoded.
    func admin<Value: Decodable>(_ type: Value.Type, _ method: String, _ path: String) async throws -> (status: Int, value: Value) {
        guard let reply = await PlainHTTP.unix(adminSocket, method, path) else {
            throw TURNClient.ClientError(description: "admin socket did not answer")
        }
        return (reply.status, try JSONDecoder().decode(Value.self, from: Data(reply.body.utf8)))
    }
}
