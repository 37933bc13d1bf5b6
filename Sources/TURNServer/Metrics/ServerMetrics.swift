import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus
import STUNWire
import TURNCore
import TurnpikeXDP

/// The Prometheus registry behind `/metrics`. Live values are folded in at each scrape from the
/// loops' own counters (no metric object is touched per packet); the request latency histogram
/// is recorded per request. Labels are bounded enums, never an address or a username.
public final class ServerMetrics: Sendable {
    static let userspaceDatapath = "userspace"
    /// Request latency buckets: a core answers in microseconds; an Allocate waits for a bind.
    static let latencyBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .seconds(1),
    ]
    static let families = ["ipv4", "ipv6", "dual"]

    public let registry = PrometheusCollectorRegistry()
    /// When the server object was made (uptime in the admin stats).
    let created = ContinuousClock.now
    /// A swift-metrics factory writing into the same registry, for code instrumented with
    /// swift-metrics (`Counter(label:dimensions:factory:)`).
    public let factory: any MetricsFactory
    let requestLatency: DurationHistogram
    let reloadsApplied: Prometheus.Counter
    let reloadsRejected: Prometheus.Counter
    let listenersDown: Prometheus.Gauge
    private let sources = NIOLockedValueBox<[any DatapathCounterSource]>([])
    private let attachments = NIOLockedValueBox<[XDPAttachment]>([])
    /// Serializes fold-and-emit, so one scrape never sees another's half-written values.
    private let scrape = NIOLock()

    public init() {
        factory = PrometheusMetricsFactory(registry: registry)
        requestLatency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "turnpike_request_duration_seconds", unitName: "",
                helpText: "Time from a STUN/TURN request's arrival to its response being handed to the socket."),
            labels: [], buckets: Self.latencyBuckets)
        let reloads = MetricNameDescriptor(
            metricName: "turnpike_config_reloads_total", unitName: "",
            helpText: "Configuration reloads (SIGHUP or the admin API), applied or rejected (the running configuration stayed).")
        reloadsApplied = registry.makeCounter(descriptor: reloads, labels: [("result", "applied")])
        reloadsRejected = registry.makeCounter(descriptor: reloads, labels: [("result", "rejected")])
        listenersDown = registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "turnpike_listeners_down", unitName: "",
            helpText: "Listening addresses with an event loop whose socket is closed and being bound again (/readyz is 503 meanwhile)."))
    }

    /// Adds a source of relayed-packet counters (the XDP datapath's kernel counters).
    public func addSource(_ source: any DatapathCounterSource) {
        sources.withLockedValue { $0.append(source) }
    }

    /// Counts a configuration reload (SIGHUP or `POST /v1/reload`) that took effect or was
    /// rejected (the running configuration stayed).
    public func recordReload(applied: Bool) {
        (applied ? reloadsApplied : reloadsRejected).increment()
    }

    /// Listening addresses down now, and listener sockets bound again so far by transport.
    func setListeners(down: Int, restarts: [ClientTransport: UInt64]) {
        listenersDown.set(Int64(down))
        for transport in ClientTransport.allCases {
            let counter = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "turnpike_listener_restarts_total", unitName: "",
                    helpText: "Listener sockets that closed on their own and were bound again, by transport."),
                labels: [("transport", transport.rawValue)])
            counter.reset()
            counter.increment(by: Int64(clamping: restarts[transport] ?? 0))
        }
    }

    /// The XDP attachments to report as `turnpike_xdp_attached 1`.
    public func setXDPAttachments(_ list: [XDPAttachment]) {
        attachments.withLockedValue { $0 = list }
    }

    var extraSources: [any DatapathCounterSource] { sources.withLockedValue { $0 } }
    var xdpAttachments: [XDPAttachment] { attachments.withLockedValue { $0 } }

    /// Folds the samples in and returns the exposition text.
    func render(
        workers: [WorkerSample], datapaths: [DatapathSample], configuredXDP: [XDPAttachment], process: ProcessSample,
        xdpReasons: [XDPStatistics.Reason] = [], xdpInterfaces: [XDPInterfaceReadiness] = [],
        xdpEgress: XDPEgressResolution? = nil, streams: StreamSample = StreamSample()
    ) -> [UInt8] {
        scrape.withLock {
            fold(workers: workers, datapaths: datapaths, configuredXDP: configuredXDP, process: process)
            foldXDPReasons(xdpReasons)
            foldStreams(streams)
            foldXDPInterfaces(xdpInterfaces)
            if let xdpEgress { foldXDPEgress(xdpEgress) }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return buffer
        }
    }
}
