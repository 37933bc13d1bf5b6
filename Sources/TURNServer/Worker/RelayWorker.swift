import Logging
import NIOCore
import Prometheus
import STUNWire
import TURNCore

/// One event loop's share of the server: its `RelayCore`, the sockets of the allocations that
/// core owns, its UDP and stream listeners, and one timer. Everything here is touched only on
/// `eventLoop` (hence `@unchecked Sendable`: other threads reach a worker only through
/// `eventLoop.execute`/`submit`). Inputs go into the core; its route or actions come out as
/// writes, flushed once per read batch.
final class RelayWorker: @unchecked Sendable {
    let index: Int
    let eventLoop: any EventLoop
    var core: RelayCore
    let logger: Logger
    let routeSink: any ChannelRouteSink
    /// The kernel fast path when configured: its per-allocation counters, and forgetting them.
    let xdp: XDPDatapath?
    let state: ServerState
    let tuning: SocketTuning
    var directory: WorkerDirectory?
    /// Called on this loop when one of its listeners closed on its own (worker index, listener).
    var listenerLost: (@Sendable (Int, ListenerKey) -> Void)?

    /// UDP listeners on this loop (one per configured UDP address, SO_REUSEPORT siblings of the
    /// other loops' listeners).
    var datagramListeners: [Outlet] = []
    /// TCP and TLS listeners on this loop (SO_REUSEPORT siblings likewise).
    var streamListeners: [Outlet] = []
    /// TCP and TLS client connections accepted on this loop.
    var streams: [FiveTuple: Outlet] = [:]
    /// Relay sockets by local relayed transport address.
    var relaySockets: [TransportAddress: Outlet] = [:]
    /// Allocations of this core, for logs and stream bookkeeping.
    var records: [AllocationID: AllocationRecord] = [:]
    var recordByTuple: [FiveTuple: AllocationID] = [:]

    /// Outlets written to since the last flush.
    var pendingFlush: [Outlet] = []
    /// UDP datagrams written during the current read batch, sent at its end.
    let sendQueue = DatagramSendQueue()
    var timer: Scheduled<Void>?
    var armedDeadline: Instant?
    /// The client 5-tuple whose input the core is processing, to attribute its events.
    var currentInput: FiveTuple?
    var stopped = false
    /// Operations hooks (Metrics/): event counters read at scrape, the request latency
    /// histogram, and when the request being handled arrived.
    var counters = WorkerCounters()
    var requestLatency: DurationHistogram?
    var inputArrival: Instant?
    var portRequestArrivals: [RelayPortRequestID: Instant] = [:]

    init(
        index: Int, eventLoop: any EventLoop, core: RelayCore, logger: Logger, routeSink: any ChannelRouteSink,
        xdp: XDPDatapath? = nil, state: ServerState, tuning: SocketTuning
    ) {
        self.index = index
        self.eventLoop = eventLoop
        self.core = core
        self.logger = logger
        self.routeSink = routeSink
        self.xdp = xdp
        self.state = state
        self.tuning = tuning
        pendingFlush.reserveCapacity(SocketTuning.vectorReadCount)
    }

    // MARK: Inputs

    /// A datagram on a UDP listener (RFC 8656 §3.1 over UDP).
    func clientDatagram(_ bytes: ByteBuffer, from fiveTuple: FiveTuple) {
        clientInput(from: fiveTuple) { core, now in core.handleClientDatagram(bytes, from: fiveTuple, now: now) }
    }

    /// A frame from a TCP or TLS connection (RFC 8656 §3.1, split by `StreamDeframer`).
    func clientFrame(_ frame: StreamFrame, from fiveTuple: FiveTuple) {
        clientInput(from: fiveTuple) { core, now in core.handleClientFrame(frame, from: fiveTuple, now: now) }
    }

    /// Runs one client input through the core, with the 5-tuple and arrival time its events are
    /// attributed to, then carries out the route and the actions.
    private func clientInput(from fiveTuple: FiveTuple, _ handle: (inout RelayCore, Now) -> RelayRoute) {
        let now = ServerClock.now()
        currentInput = fiveTuple
        inputArrival = now.monotonic
        perform(handle(&core, now))
        runActions(now)
        currentInput = nil
        inputArrival = nil
    }

    /// A datagram from a peer to one of this core's relay sockets (RFC 8656 §11.3, §12.7).
    func peerDatagram(_ payload: ByteBuffer, from peer: TransportAddress, to relayed: TransportAddress) {
        let now = ServerClock.now()
        let route = core.handlePeerDatagram(payload, from: peer, to: relayed, now: now)
        perform(route)
        runActions(now)
    }

    /// Traffic another worker's allocation sent to one of this core's relayed addresses.
    func internalDatagram(_ payload: ByteBuffer, from sender: TransportAddress, to relayed: TransportAddress) {
        guard !stopped else { return }
        peerDatagram(payload, from: sender, to: relayed)
        flushPending()
    }

    /// Timer expiry: lifetimes of allocations, permissions, channels, reservations.
    func timerFired() {
        timer = nil
        armedDeadline = nil
        guard !stopped else { return }
        let now = ServerClock.now()
        core.handleTimeout(now: now)
        runActions(now)
        flushPending()
    }

    // MARK: Flushing and the timer

    func markDirty(_ outlet: Outlet) {
        guard !outlet.dirty else { return }
        outlet.dirty = true
        pendingFlush.append(outlet)
    }

    /// End of a read batch: send the queued datagrams, flush every written stream once, and
    /// re-arm the timer if the core's next deadline moved.
    func flushPending() {
        sendQueue.flush()
        for outlet in pendingFlush {
            outlet.dirty = false
            outlet.channel.flush()
        }
        pendingFlush.removeAll(keepingCapacity: true)
        rearmTimer()
    }

    /// One scheduled task per loop, always at `core.nextDeadline`.
    func rearmTimer() {
        let deadline = core.nextDeadline
        guard deadline != armedDeadline, !stopped else { return }
        timer?.cancel()
        armedDeadline = deadline
        guard let deadline else {
            timer = nil
            return
        }
        timer = eventLoop.scheduleTask(deadline: ServerClock.deadline(deadline)) { [self] in timerFired() }
    }
}
