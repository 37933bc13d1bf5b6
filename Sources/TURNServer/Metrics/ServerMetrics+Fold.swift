import Prometheus
import TURNCore
import TurnpikeXDP

extension ServerMetrics {
    /// Sets every metric to the sampled totals. Counters are cumulative at their source, so a
    /// counter is reset and set to the source's total (under the scrape lock).
    func fold(
        workers: [WorkerSample], datapaths: [DatapathSample], configuredXDP: [XDPAttachment], process: ProcessSample
    ) {
        foldAllocations(workers)
        let counters = WorkerCounters.sum(workers.map(\.counters))
        foldRequests(counters)
        for datapath in datapaths { foldDatapath(datapath) }
        foldXDP(configuredXDP)
        foldProcess(process)
    }

    private func foldAllocations(_ workers: [WorkerSample]) {
        var kinds: [CoreStatistics.AllocationKind: Int] = [:]
        var permissions = 0
        var channels = 0
        for sample in workers {
            kinds.merge(sample.statistics.allocations, uniquingKeysWith: +)
            permissions += sample.statistics.permissions
            channels += sample.statistics.channels
        }
        for family in Self.families {
            for transport in ClientTransport.allCases {
                let count = kinds[CoreStatistics.AllocationKind(family: family, transport: transport)] ?? 0
                gauge("turnpike_allocations", [("family", family), ("transport", transport.rawValue)], "Allocations alive now, by relayed address family and client transport."
                ).set(Int64(count))
            }
        }
        gauge("turnpike_permissions", [], "Active permissions over all allocations (RFC 8656 section 9).")
            .set(Int64(permissions))
        gauge("turnpike_channels", [], "Bound channels over all allocations (RFC 8656 section 12).")
            .set(Int64(channels))
    }

    private func foldRequests(_ counters: WorkerCounters) {
        set(counter("turnpike_allocations_created_total", [], "Allocations created."), counters.allocationsCreated)
        set(counter("turnpike_relay_sockets_lost_total", [], "Relay sockets that closed on their own; each is bound again while its allocation lives."),
            counters.relaySocketsLost)
        set(counter("turnpike_relay_send_failures_total", [], "Datagrams for a peer dropped because their relay socket was closed and not bound again yet."),
            counters.relaySendFailures)
        for role in DatagramSocketRole.allCases {
            for reason in SendFailure.allCases {
                set(counter("turnpike_send_failures_total", [("socket", role.rawValue), ("reason", reason.rawValue)],
                            "UDP datagrams the kernel refused to send (dropped; the socket stays open), by socket role and reason."),
                    counters.sendFailures[SendFailureKey(role: role, reason: reason)] ?? 0)
            }
        }
        set(counter("turnpike_datagrams_sent_total", [], "UDP datagrams sent by listeners and relay sockets."), counters.datagramsSent)
        set(counter("turnpike_send_syscalls_total", [], "sendmmsg calls that carried them (datagrams sent per call is the batching achieved)."),
            counters.sendSystemCalls)
        let revoked = "Permissions and channel bindings removed because a reloaded peer policy refuses their peer."
        set(counter("turnpike_peers_revoked_total", [("kind", "permission")], revoked), counters.permissionsRevoked)
        set(counter("turnpike_peers_revoked_total", [("kind", "channel")], revoked), counters.channelsRevoked)
        for reason in AllocationEndReason.allCases {
            set(counter("turnpike_allocations_deleted_total", [("reason", reason.rawValue)], "Allocations ended, by reason."), counters.allocationsDeleted[reason] ?? 0)
        }
        for (key, value) in counters.requests.sorted(by: { ($0.key.method, $0.key.result) < ($1.key.method, $1.key.result) }) {
            set(counter("turnpike_requests_total", [("method", key.method), ("result", key.result)], "Requests answered, by method and result (success or the error code)."), value)
        }
        for reason in AuthFailureReason.allCases {
            set(counter("turnpike_auth_failures_total", [("reason", reason.rawValue)], "Requests that failed authentication, by reason (RFC 8489 section 9.2.4)."),
                counters.authenticationFailures[reason] ?? 0)
        }
    }

    private func foldDatapath(_ sample: DatapathSample) {
        for direction in TrafficDirection.allCases {
            let labels = [("direction", direction.rawValue), ("datapath", sample.datapath)]
            set(counter("turnpike_relayed_packets_total", labels, "Packets relayed, by direction and datapath."), sample.traffic.packets(direction))
            set(counter("turnpike_relayed_bytes_total", labels, "Payload bytes relayed, by direction and datapath."), sample.traffic.bytes(direction))
        }
        for (reason, value) in sample.drops.sorted(by: { $0.key < $1.key }) {
            set(counter("turnpike_dropped_packets_total", [("reason", reason), ("datapath", sample.datapath)], "Packets dropped without an answer, by reason and datapath."), value)
        }
    }

    /// Configured interfaces report 0 until an XDP program is attached to them.
    private func foldXDP(_ configured: [XDPAttachment]) {
        let attached = xdpAttachments
        for entry in configured where !attached.contains(entry) {
            gauge("turnpike_xdp_attached", [("interface", entry.interface), ("mode", entry.mode)], "1 when the XDP fast path is attached to the interface in this mode, else 0.").set(Int64(0))
        }
        for entry in attached {
            gauge("turnpike_xdp_attached", [("interface", entry.interface), ("mode", entry.mode)], "1 when the XDP fast path is attached to the interface in this mode, else 0.").set(Int64(1))
        }
    }

    /// Every packet the XDP program saw, under exactly one verdict reason of the registry in
    /// turnpike_xdp.h (a fixed, bounded label set).
    func foldXDPReasons(_ reasons: [XDPStatistics.Reason]) {
        for reason in reasons {
            let labels = [("verdict", reason.verdict), ("reason", reason.name)]
            set(counter("turnpike_xdp_packets_total", labels, "Packets the XDP program handled, by verdict and reason."), reason.packets)
            set(counter("turnpike_xdp_bytes_total", labels, "Frame bytes the XDP program handled, by verdict and reason."), reason.bytes)
        }
    }

    /// Per interface: 1 when the kernel relays there, with the reason from a fixed set
    /// (XDPInterfaceReadiness.Reason). The one change at run time is a detach from outside:
    /// then the attached mode's series goes to 0 beside the `detached` one.
    func foldXDPInterfaces(_ interfaces: [XDPInterfaceReadiness]) {
        func ready(_ interface: String, _ reason: XDPInterfaceReadiness.Reason) -> Gauge {
            gauge("turnpike_xdp_interface_ready", [("interface", interface), ("reason", reason.rawValue)],
                  "1 when the kernel fast path relays on the interface; the reason says why, or why not.")
        }
        for entry in interfaces {
            ready(entry.interface, entry.reason).set(Int64(entry.ready ? 1 : 0))
            if entry.reason == .detached {
                for mode in [XDPInterfaceReadiness.Reason.native, .generic] { ready(entry.interface, mode).set(Int64(0)) }
            }
        }
    }

    /// The egress resolver: destinations the installed channels send to, by state (`resolved`,
    /// or why not: EgressTable.Unresolved, a fixed set). Packets to an unresolved one are passed
    /// to userspace (`egress_unresolved`).
    func foldXDPEgress(_ egress: XDPEgressResolution) {
        let help = "Destinations of installed XDP channel routes, by egress state (resolved, or why not)."
        gauge("turnpike_xdp_egress_destinations", [("state", "resolved")], help).set(Int64(egress.resolved))
        for reason in EgressTable.Unresolved.allCases {
            gauge("turnpike_xdp_egress_destinations", [("state", reason.rawValue)], help).set(Int64(egress.unresolved[reason] ?? 0))
        }
    }

    private func foldProcess(_ process: ProcessSample) {
        if let resident = process.residentBytes {
            gauge("process_resident_memory_bytes", [], "Resident memory size in bytes.").set(Int64(clamping: resident))
        }
        if let descriptors = process.openFileDescriptors {
            gauge("process_open_fds", [], "Number of open file descriptors.").set(Int64(descriptors))
        }
        if let cpu = process.cpuSeconds {
            let counter = counter("process_cpu_seconds_total", [], "Total user and system CPU time spent in seconds.")
            counter.reset()
            counter.increment(by: cpu)
        }
        if let start = process.startTimeSeconds {
            gauge("process_start_time_seconds", [], "Start time of the process since the Unix epoch in seconds.").set(start)
        }
    }

    func gauge(_ name: String, _ labels: [(String, String)], _ help: String) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    func counter(_ name: String, _ labels: [(String, String)], _ help: String) -> Counter {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    func set(_ counter: Counter, _ total: UInt64) {
        counter.reset()
        counter.increment(by: Int64(clamping: total))
    }
}
