import Logging
import NIOCore
import NIOEmbedded
import STUNWire
import TURNCore
@testable import TURNServer

/// A TCP or TLS client connection's pipeline as the server builds it (framer, idle timer,
/// `StreamClientHandler`), on an `EmbeddedChannel` with a worker whose core answers Binding
/// requests. Below it sits `HeldSocket`: a socket that takes nothing until the test lets it,
/// like a client that stops reading once the kernel's buffers are full.
final class StreamTestPipeline {
    let channel: EmbeddedChannel
    let loop: EmbeddedEventLoop
    let worker: RelayWorker
    let socket = HeldSocket()
    let framer: StreamFramingHandler
    let handler: StreamClientHandler
    let statistics = StreamStatistics()
    let budget: PartialFrameBudget
    let fiveTuple: FiveTuple
    private var transactions: UInt32 = 0

    static let server = TransportAddress(ip: .v4(IPv4Address(192, 0, 2, 1)), port: 3478)
    static let client = TransportAddress(ip: .v4(IPv4Address(198, 51, 100, 7)), port: 40_000)

    init(
        transport: ClientTransport = .tcp, outboundQueue: Int = 4096, handshakeTimeout: TimeAmount = .hours(1),
        stallTimeout: TimeAmount = .seconds(30), budget: PartialFrameBudget = PartialFrameBudget()
    ) throws {
        loop = EmbeddedEventLoop()
        channel = EmbeddedChannel(loop: loop)
        worker = try TestWorker.make(on: loop)
        fiveTuple = FiveTuple(client: Self.client, server: Self.server, transport: transport)
        var limits = StreamLimits(idleTimeout: .seconds(300), handshakeTimeout: handshakeTimeout, outboundQueueBytes: outboundQueue)
        limits.stallTimeout = stallTimeout
        self.budget = budget
        framer = StreamFramingHandler(budget: budget, statistics: statistics)
        handler = StreamClientHandler(worker: worker, fiveTuple: fiveTuple, limits: limits, statistics: statistics)
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(socket)
        try pipeline.addHandler(framer)
        try pipeline.addHandler(IdleStateHandler(readTimeout: limits.idleTimeout))
        try pipeline.addHandler(handler)
        try channel.connect(to: Self.client.socketAddress).wait()
    }

    /// A Binding request (RFC 8489 §6.1), which the core answers without authentication.
    func bindingRequest() -> ByteBuffer {
        transactions += 1
        let message = STUNMessage(type: MessageType(.binding, .request), transactionID: TransactionID(high: 7, low: transactions))
        return try! message.encode()
    }

    /// Bytes from the client, as one read.
    func receive(_ bytes: ByteBuffer) throws {
        try channel.writeInbound(bytes)
    }

    /// Relayed data for the client, as the worker hands it on (ChannelData on channel 0x4000).
    func relay(_ payloadBytes: Int) {
        var frame = ByteBuffer()
        ChannelData(channel: ChannelNumber(rawValue: 0x4000), payload: ByteBuffer(repeating: 0x61, count: payloadBytes))
            .encode(into: &frame, padded: true)
        worker.sendToStream(fiveTuple, frame, relayed: true)
        worker.flushPending()
    }

    var isOpen: Bool { channel.isActive }

    func finish() {
        _ = try? channel.finish()
    }
}

/// The bottom of the test pipeline: keeps every write (and its promise) until `release`, and
/// counts the reads the pipeline asks for.
final class HeldSocket: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer

    private var writes: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private(set) var reads = 0

    var heldBytes: Int { writes.reduce(0) { $0 + $1.0.readableBytes } }
    var heldWrites: Int { writes.count }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        writes.append((unwrapOutboundIn(data), promise))
    }

    func flush(context: ChannelHandlerContext) {}

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }

    /// A closing socket fails what it had not sent, as NIO's does.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        let failed = writes
        writes = []
        for (_, promise) in failed { promise?.fail(ChannelError.ioOnClosedChannel) }
        context.close(mode: mode, promise: promise)
    }

    /// Lets the socket take the first `count` writes (all by default): their promises succeed.
    func release(_ count: Int? = nil) {
        let taken = writes.prefix(count ?? writes.count)
        writes.removeFirst(taken.count)
        for (_, promise) in taken { promise?.succeed() }
    }

    /// Everything written so far, as the client would read it.
    var bytes: ByteBuffer {
        var all = ByteBuffer()
        for (bytes, _) in writes { all.writeImmutableBuffer(bytes) }
        return all
    }
}
