import NIOCore
import STUNWire
import TURNCore

/// The end of a TCP or TLS client connection's pipeline (RFC 8656 §3.1): frames from
/// `StreamDeframer` go to the worker's core; the connection's close ends its allocations; an
/// idle connection without an allocation is closed, and so is one that sends garbage.
final class StreamClientHandler: ChannelInboundHandler {
    typealias InboundIn = StreamFrame

    private let worker: RelayWorker
    private let fiveTuple: FiveTuple
    private var registered = false

    init(worker: RelayWorker, fiveTuple: FiveTuple) {
        self.worker = worker
        self.fiveTuple = fiveTuple
    }

    func handlerAdded(context: ChannelHandlerContext) {
        worker.streamOpened(Outlet(channel: context.channel, local: fiveTuple.server), fiveTuple: fiveTuple)
        registered = true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        worker.clientFrame(unwrapInboundIn(data), from: fiveTuple)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker.flushPending()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if registered {
            registered = false
            worker.streamClosed(fiveTuple)
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Idle: no bytes for the configured time. A connection holding an allocation lives as
        // long as the allocation does (its lifetime bounds it); any other is closed.
        if event is IdleStateHandler.IdleStateEvent {
            if !worker.streamHoldsAllocation(fiveTuple) { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// A frame the deframer rejects (RFC 8656 §3.1 gives no way to resynchronise a stream), a
    /// TLS failure or a reset: the connection ends.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
