import NIOCore
import NIOSSL
import NIOTLS
import STUNWire
import TURNCore

/// The end of a TCP or TLS client connection's pipeline (RFC 8656 §3.1): frames from
/// `StreamFramingHandler` go to the worker's core; the connection's close ends its allocations.
///
/// It also guards the connection:
/// - the TLS handshake and the first complete STUN message must arrive within
///   `streams.handshake-timeout` of the accept;
/// - an idle connection (no complete frame for `streams.idle-timeout`) without an allocation is
///   closed, and so is one that fails TLS;
/// - every write passes through here, so the connection's outbound queue
///   (`StreamOutboundQueue`, `streams.outbound-queue`) is counted exactly: relayed data that does
///   not fit is dropped by the worker (`takesRelayed`), reading from the client pauses while the
///   queue is at its bound (so responses cannot pile up either), and bytes waiting without any
///   being written for `StreamOutboundQueue.stallTimeout` close the connection.
///
/// Every close for one of these reasons is counted in `StreamStatistics`.
final class StreamClientHandler: ChannelDuplexHandler {
    typealias InboundIn = StreamFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A write's completion is observed for at most this many bytes at once: the queue shrinks
    /// in steps of about this size as the socket takes them, at the cost of one promise per
    /// step (not per write).
    static let completionStep = 16 << 10

    private let worker: RelayWorker
    private let fiveTuple: FiveTuple
    private let limits: StreamLimits
    private let statistics: StreamStatistics
    private var context: ChannelHandlerContext?
    private var registered = false
    private var closing = false

    private var handshakeDone: Bool
    private var sawMessage = false
    private var firstMessageDeadline: Scheduled<Void>?

    private var queue: StreamOutboundQueue
    private var stallCheck: Scheduled<Void>?
    /// The last write, held back until the next one, a flush or `completionStep` bytes, so
    /// that the one promise observing a step's completion goes on its last write.
    private var held: (bytes: ByteBuffer, promise: EventLoopPromise<Void>?)?
    /// Bytes written since the last observed step (including `held`).
    private var unobserved = 0
    private var readsPaused = false
    private var readPending = false

    init(worker: RelayWorker, fiveTuple: FiveTuple, limits: StreamLimits, statistics: StreamStatistics) {
        self.worker = worker
        self.fiveTuple = fiveTuple
        self.limits = limits
        self.statistics = statistics
        handshakeDone = fiveTuple.transport != .tls
        queue = StreamOutboundQueue(limit: limits.outboundQueueBytes)
    }

    /// Bytes handed to this connection that its socket has not taken yet.
    var queuedBytes: Int { queue.bytes }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let outlet = Outlet(channel: context.channel, local: fiveTuple.server)
        outlet.stream = self
        worker.streamOpened(outlet, fiveTuple: fiveTuple)
        registered = true
        if context.channel.isActive { startDeadline(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startDeadline(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown()
        self.context = nil
    }

    private func tearDown() {
        closing = true
        firstMessageDeadline?.cancel()
        firstMessageDeadline = nil
        stallCheck?.cancel()
        stallCheck = nil
        // Bytes written without an observing promise will never be reported written.
        if let held {
            self.held = nil
            held.promise?.fail(ChannelError.ioOnClosedChannel)
        }
        statistics.dequeued(unobserved)
        unobserved = 0
        if registered {
            registered = false
            worker.streamClosed(fiveTuple)
        }
    }

    /// Closes the connection for `reason`, counted once.
    private func close(_ context: ChannelHandlerContext, _ reason: StreamCloseReason) {
        guard !closing else { return }
        closing = true
        statistics.count(reason)
        context.close(promise: nil)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if !sawMessage, case .stun = frame {
            sawMessage = true
            firstMessageDeadline?.cancel()
            firstMessageDeadline = nil
        }
        worker.clientFrame(frame, from: fiveTuple)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        worker.flushPending()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Idle: no complete frame for the configured time (the idle handler sits after the
        // framer, so a trickle of bytes does not count). A connection holding an allocation
        // lives as long as the allocation does (its lifetime bounds it); any other is closed.
        if event is IdleStateHandler.IdleStateEvent {
            if !worker.streamHoldsAllocation(fiveTuple) { close(context, .idle) }
            return
        }
        if case .handshakeCompleted = event as? TLSUserEvent { handshakeDone = true }
        context.fireUserInboundEventTriggered(event)
    }

    /// A TLS failure or a reset: the connection ends (a TLS failure is counted; a client that
    /// closes without close_notify is not).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if Self.isTLSFailure(error) {
            close(context, .tlsFailure)
        } else {
            closing = true
            context.close(promise: nil)
        }
    }

    static func isTLSFailure(_ error: any Error) -> Bool {
        switch error {
        case NIOSSLError.uncleanShutdown: false
        case is NIOSSLError, is BoringSSLError: true
        default: false
        }
    }

    /// RFC 8656 §3.1 gives a stream no other way to start than a STUN request, and TLS no
    /// reason to take long: a connection that has sent no complete STUN message (for TLS, or not
    /// finished its handshake) within `streams.handshake-timeout` of the accept is closed.
    private func startDeadline(_ context: ChannelHandlerContext) {
        guard firstMessageDeadline == nil, !sawMessage, !closing else { return }
        firstMessageDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: limits.handshakeTimeout) { [self] in
            firstMessageDeadline = nil
            guard !sawMessage else { return }
            close(context, handshakeDone ? .firstMessageTimeout : .handshakeTimeout)
        }
    }

    // MARK: Outbound

    /// Whether relayed data (ChannelData, a Data indication) of `size` bytes fits the outbound
    /// queue. If not, it is to be dropped: this counts the drop.
    func takesRelayed(_ size: Int) -> Bool {
        if queue.admits(size) { return true }
        statistics.dropped(bytes: size)
        return false
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !closing else {
            context.write(data, promise: promise)
            return
        }
        let bytes = unwrapOutboundIn(data)
        let size = bytes.readableBytes
        // Responses still go out past the bound; the requests they answer stop being read.
        if queue.added(size, now: context.eventLoop.now) == .reachedBound { readsPaused = true }
        armStallCheck(context)
        statistics.queued(size, connectionTotal: queue.bytes)
        forwardHeld(context, observed: false)
        held = (bytes, promise)
        unobserved += size
        if unobserved >= Self.completionStep { forwardHeld(context, observed: true) }
    }

    func flush(context: ChannelHandlerContext) {
        forwardHeld(context, observed: true)
        context.flush()
    }

    /// Passes the held write on; `observed`, with a promise that reports every byte written
    /// since the last observed one (writes on a stream complete in order).
    private func forwardHeld(_ context: ChannelHandlerContext, observed: Bool) {
        guard let (bytes, promise) = held else { return }
        held = nil
        guard observed else {
            context.write(wrapOutboundOut(bytes), promise: promise)
            return
        }
        let step = unobserved
        unobserved = 0
        let written = context.eventLoop.makePromise(of: Void.self)
        if let promise { written.futureResult.cascade(to: promise) }
        written.futureResult.assumeIsolated().whenComplete { [self] _ in wrote(step) }
        context.write(wrapOutboundOut(bytes), promise: written)
    }

    /// `size` bytes left the queue: written, or failed by the close.
    private func wrote(_ size: Int) {
        statistics.dequeued(size)
        guard let context, !closing else { return }
        if queue.written(size, now: context.eventLoop.now) == .belowBound { resumeReading(context) }
    }

    func read(context: ChannelHandlerContext) {
        guard !readsPaused else {
            readPending = true
            return
        }
        context.read()
    }

    private func resumeReading(_ context: ChannelHandlerContext) {
        guard readsPaused else { return }
        readsPaused = false
        if readPending {
            readPending = false
            context.read()
        }
    }

    /// Checks at the stall deadline whether the queue made progress; re-armed while bytes wait,
    /// cancelled with the connection. One scheduled task per connection at most.
    private func armStallCheck(_ context: ChannelHandlerContext) {
        guard stallCheck == nil, let deadline = queue.stallDeadline(after: limits.stallTimeout) else { return }
        stallCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            stallCheck = nil
            guard !closing, let next = queue.stallDeadline(after: limits.stallTimeout) else { return }
            if next <= context.eventLoop.now {
                close(context, .outboundStalled)
            } else {
                armStallCheck(context)
            }
        }
    }
}
