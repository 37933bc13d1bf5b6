import Prometheus

extension ServerMetrics {
    /// The TCP/TLS pipeline: connections, what waits in their queues and deframers, and what
    /// was dropped or closed, by a bounded reason.
    func foldStreams(_ sample: StreamSample) {
        gauge("turnpike_stream_connections", [], "Open TCP and TLS client connections.").set(Int64(sample.connections))
        gauge("turnpike_stream_outbound_bytes", [], "Bytes waiting in TCP/TLS client connections' outbound queues (streams.outbound-queue each).")
            .set(Int64(sample.queuedBytes))
        gauge("turnpike_stream_partial_frame_bytes", [], "Bytes held for incomplete frames over all TCP/TLS connections (a 16 MiB budget beyond 4 KiB each).")
            .set(Int64(sample.partialFrameBytes))
        set(counter("turnpike_stream_dropped_packets_total", [], "Relayed packets for TCP/TLS clients dropped because the connection's outbound queue was full."),
            sample.droppedPackets)
        set(counter("turnpike_stream_dropped_bytes_total", [], "Bytes of relayed packets for TCP/TLS clients dropped because the connection's outbound queue was full."),
            sample.droppedBytes)
        for reason in StreamCloseReason.allCases {
            set(counter("turnpike_stream_connections_closed_total", [("reason", reason.rawValue)], "TCP/TLS client connections the server refused or closed, by reason."),
                sample.closed[reason] ?? 0)
        }
    }
}
