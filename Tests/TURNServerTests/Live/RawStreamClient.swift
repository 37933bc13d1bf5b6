import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import STUNWire
import TURNClient

/// A bare TCP connection from a chosen loopback address, for the stream attacks: it sends what
/// the test says and nothing else (no TLS, no framing), and tells when the server closed it.
struct RawStreamClient: Sendable {
    let channel: any Channel

    static func connect(to server: TransportAddress, from host: String, group: any EventLoopGroup) async throws -> RawStreamClient {
        let channel = try await ClientBootstrap(group: group)
            .bind(to: try SocketAddress(ipAddress: host, port: 0))
            .connect(to: try server.clientSocketAddress).get()
        return RawStreamClient(channel: channel)
    }

    func send(_ bytes: ByteBuffer) async throws {
        try await channel.writeAndFlush(bytes).get()
    }

    /// Sends without waiting, for trickling to many connections at once.
    func trickle(_ bytes: ByteBuffer) {
        channel.writeAndFlush(bytes, promise: nil)
    }

    /// Whether the server closed the connection within `timeout`.
    func closedByServer(within timeout: TimeAmount) async -> Bool {
        await channel.closeFuture.completes(within: timeout, on: channel.eventLoop)
    }

    func close() async {
        try? await channel.close()
    }
}

extension EventLoopFuture {
    /// Whether the future completes (either way) within `timeout`.
    func completes(within timeout: TimeAmount, on loop: any EventLoop) async -> Bool {
        let promise = loop.makePromise(of: Bool.self)
        let deadline = loop.scheduleTask(in: timeout) { promise.succeed(false) }
        whenComplete { _ in
            deadline.cancel()
            promise.succeed(true)
        }
        return (try? await promise.futureResult.get()) ?? false
    }
}

/// A TLS handshake with the server under a client configuration of the test's choosing:
/// whether it completed.
enum TLSHandshake {
    private final class Observer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<Bool>

        init(done: EventLoopPromise<Bool>) { self.done = done }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent { done.succeed(true) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            done.succeed(false)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.succeed(false)
            context.fireChannelInactive()
        }
    }

    static func completes(
        with server: TransportAddress, group: any EventLoopGroup, _ configure: (inout TLSConfiguration) -> Void
    ) async throws -> Bool {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        configure(&configuration)
        let context = try NIOSSLContext(configuration: configuration)
        let loop = group.next()
        let done = loop.makePromise(of: Bool.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(Observer(done: done))
                }
            }
            .connect(to: try server.clientSocketAddress).get()
        let deadline = loop.scheduleTask(in: .seconds(10)) { done.succeed(false) }
        let completed = try await done.futureResult.get()
        deadline.cancel()
        try? await channel.close()
        return completed
    }
}
