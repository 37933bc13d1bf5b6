import NIOCore
import STUNWire
import TURNCore

extension RelayWorker {
    func streamOpened(_ outlet: Outlet, fiveTuple: FiveTuple) {
        streams[fiveTuple] = outlet
    }

    /// RFC 8656 §3.1: the allocation made over a connection ends with it.
    func streamClosed(_ fiveTuple: FiveTuple) {
        streams[fiveTuple] = nil
        guard !stopped else { return }
        let now = ServerClock.now()
        core.clientConnectionClosed(fiveTuple, now: now)
        runActions(now)
        flushPending()
    }

    /// RFC 8656 §3.1 over TCP or TLS. Responses always go out. Relayed data goes out only while
    /// the connection's outbound queue has room (`streams.outbound-queue`); otherwise it is
    /// dropped and counted, as a congested UDP path would lose it, so a client that stops reading
    /// while its peer keeps sending costs the server at most its queue.
    func sendToStream(_ fiveTuple: FiveTuple, _ bytes: ByteBuffer, relayed: Bool) {
        guard let outlet = streams[fiveTuple] else { return }
        if relayed, let stream = outlet.stream, !stream.takesRelayed(bytes.readableBytes) { return }
        outlet.channel.write(bytes, promise: nil)
        markDirty(outlet)
    }

    func streamHoldsAllocation(_ fiveTuple: FiveTuple) -> Bool {
        (streams[fiveTuple]?.allocations ?? 0) > 0
    }
}
