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

    func streamHoldsAllocation(_ fiveTuple: FiveTuple) -> Bool {
        (streams[fiveTuple]?.allocations ?? 0) > 0
    }
}
