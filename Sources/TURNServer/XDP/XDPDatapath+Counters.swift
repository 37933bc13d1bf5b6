import Logging
import STUNWire
import TURNCore
import TurnpikeXDP

extension XDPDatapath {
    /// One periodic read of the kernel's counters (on a timer, never per packet): every installed
    /// route's, merged into its allocation and the totals, and every verdict reason's. Also
    /// notices an attachment removed from outside turnpike (its BPF link detached, or the
    /// interface gone): its traffic reaches the stack again and userspace relays it; one warning
    /// says so, and `turnpike_xdp_attached` goes to 0 for it.
    func poll() {
        lock.withLock {
            guard let program = state.program else { return }
            for (route, mapped) in state.routes {
                if let counters = try? program.counters(for: mapped) { mergeLocked(route, counters) }
            }
            if let reasons = try? program.reasonCounters() { state.reasons = reasons }
            for attachment in state.attachments where !program.isStillAttached(attachment) {
                program.forget(attachment)
                state.attachments.removeAll { $0.interfaceIndex == attachment.interfaceIndex }
                state.lostAttachments.append(attachment)
                if let index = state.interfaces.firstIndex(where: { $0.interface == attachment.interface }) {
                    state.interfaces[index] = XDPInterfaceReadiness(interface: attachment.interface, reason: .detached)
                }
                logger.warning("xdp program detached from outside turnpike; its traffic is relayed in userspace", metadata: [
                    "interface": .string(attachment.interface), "mode": .string(attachment.mode.rawValue),
                    "link_id": .string("\(attachment.linkID)"),
                ])
            }
        }
    }

    /// What the kernel relayed for one allocation so far (as of the last read or route removal).
    public func allocationTraffic(_ id: AllocationID, fiveTuple: FiveTuple) -> TrafficCounters {
        lock.withLock { state.allocations[AllocationKey(id: id, fiveTuple: fiveTuple)] ?? TrafficCounters() }
    }

    /// Drops an ended allocation's kernel counters. Its routes were removed (with a last read
    /// each) before the core reported the deletion.
    func forgetAllocation(_ id: AllocationID, fiveTuple: FiveTuple) {
        lock.withLock { _ = state.allocations.removeValue(forKey: AllocationKey(id: id, fiveTuple: fiveTuple)) }
    }

    /// Everything the fast path reports, for metrics and the admin API.
    public var statistics: XDPStatistics {
        lock.withLock {
            var attachments = state.attachments.map {
                XDPStatistics.Attachment(interface: $0.interface, mode: $0.mode.rawValue, attached: true)
            }
            attachments += state.lostAttachments.map {
                XDPStatistics.Attachment(interface: $0.interface, mode: $0.mode.rawValue, attached: false)
            }
            return XDPStatistics(
                loaded: state.program != nil, attachments: attachments, relayed: state.totals,
                reasons: XDPReason.all.map { reason in
                    XDPStatistics.Reason(number: reason.rawValue, name: reason.name, verdict: reason.verdict.description,
                                         packets: state.reasons[reason]?.packets ?? 0, bytes: state.reasons[reason]?.bytes ?? 0)
                },
                installedRoutes: state.program?.installedChannelCount ?? 0, installFailures: state.installFailures,
                interfaces: state.interfaces, egress: state.program?.egressResolution)
        }
    }
}

extension XDPDatapath: DatapathCounterSource {
    /// The `datapath="xdp"` totals for /metrics and the admin stats: what the kernel relayed and
    /// what it dropped (bound channel, malformed ChannelData), as of the last read.
    public func sample() async -> DatapathSample {
        let statistics = self.statistics
        return DatapathSample(datapath: "xdp", traffic: statistics.relayed, drops: statistics.dropped)
    }
}
