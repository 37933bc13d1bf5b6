import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import STUNWire

/// The HTTP endpoint on `http.address` (loopback by default): `/metrics` (Prometheus text
/// format 0.0.4), `/healthz` (the process answers) and `/readyz` (listeners up and not draining;
/// 503 otherwise). A `Service`: put it before the `TURNServer` in the `ServiceGroup`, which shuts
/// services down in reverse order, so `/readyz` answers 503 throughout the drain.
///
/// A client that connects and sends nothing, or trickles a request, cannot pile up descriptors:
/// at most `connectionLimit` are open (further ones wait in the listen backlog, not accepted),
/// and a connection without a complete request for `idleTimeout` is closed.
public struct MetricsHTTPService: Service {
    static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"
    /// A few Prometheus servers, health checks and operators at once use a handful.
    static let defaultConnectionLimit = 64
    /// Longer than the 15 s scrape interval most setups use, so Prometheus keeps its connection.
    static let defaultIdleTimeout: TimeAmount = .seconds(30)

    let server: TURNServer
    let address: TransportAddress
    let logger: Logger
    let onRunning: @Sendable (TransportAddress) async -> Void
    /// Not settings (the endpoint is for operators); tests lower them.
    var connectionLimit = MetricsHTTPService.defaultConnectionLimit
    var idleTimeout = MetricsHTTPService.defaultIdleTimeout

    /// `onRunning` receives the bound address (a configured port 0 resolved).
    public init(
        server: TURNServer, address: TransportAddress, logger: Logger,
        onRunning: @escaping @Sendable (TransportAddress) async -> Void = { _ in }
    ) {
        self.server = server
        self.address = address
        self.logger = logger
        self.onRunning = onRunning
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let server = self.server
        router.get("/metrics") { _, _ in
            let bytes = await server.metricsExposition()
            return Response(
                status: .ok, headers: [.contentType: Self.prometheusContentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/healthz") { _, _ in HTTPResponses.text("ok\n") }
        router.get("/readyz") { _, _ in
            if server.isReady { return HTTPResponses.text("ready\n") }
            let reason = server.isDraining ? "draining" : server.listenersMissing > 0 ? "listener down" : "not started"
            return HTTPResponses.text(reason + "\n", status: .serviceUnavailable)
        }
        return router
    }

    public func run() async throws {
        let onRunning = self.onRunning
        let logger = self.logger
        let application = Application(
            router: router(),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idleTimeout)),
            configuration: ApplicationConfiguration(
                address: .hostname(address.ip.description, port: Int(address.port)), serverName: "turnpike",
                availableConnectionsDelegate: MaximumAvailableConnections(connectionLimit, logger: logger)),
            onServerRunning: { channel in
                guard let local = channel.localAddress, let bound = TransportAddress(local) else { return }
                logger.notice("metrics and health endpoints listening", metadata: ["address": .string(bound.description)])
                await onRunning(bound)
            },
            logger: logger)
        try await application.run()
    }
}
