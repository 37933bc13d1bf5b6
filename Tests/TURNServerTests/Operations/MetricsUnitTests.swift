import STUNWire
import Testing
import TURNCore
@testable import TURNServer

/// The pieces behind `/metrics`, without a server.
@Suite struct MetricsUnitTests {
    @Test func processSampleReadsProcSelf() {
        let sample = ProcessSample.read()
        #expect((sample.residentBytes ?? 0) > 0)
        #expect((sample.openFileDescriptors ?? 0) > 2)
        #expect(sample.cpuSeconds != nil)
        #expect((sample.startTimeSeconds ?? 0) > 1_000_000_000)
    }

    @Test func requestLabelsAreBounded() throws {
        #expect(RequestLabels.method(.allocate) == "allocate")
        #expect(RequestLabels.method(.channelBind) == "channel_bind")
        #expect(RequestLabels.method(try #require(Method(rawValue: 0x0ABC))) == "other")
        #expect(RequestLabels.result(nil) == "success")
        #expect(RequestLabels.result(438) == "438")
    }

    @Test func workerCountersSumAcrossLoops() {
        var first = WorkerCounters()
        first.count(.requestAnswered(method: .allocate, errorCode: 401))
        first.count(.authenticationFailed(.missingIntegrity))
        first.count(.allocationCreated(AllocationID(rawValue: 1), fiveTuple: FiveTuple(
            client: TransportAddress("192.0.2.1:1000")!, server: TransportAddress("192.0.2.2:3478")!, transport: .udp),
            user: "u", relayed: []))
        var second = WorkerCounters()
        second.count(.requestAnswered(method: .allocate, errorCode: 401))
        second.count(.allocationDeleted(AllocationID(rawValue: 1), reason: .expired))
        let total = WorkerCounters.sum([first, second])
        #expect(total.requests[RequestKey(method: "allocate", result: "401")] == 2)
        #expect(total.authenticationFailures[.missingIntegrity] == 1)
        #expect(total.allocationsCreated == 1)
        #expect(total.allocationsDeleted[.expired] == 1)
    }

    @Test func renderedCountersFollowTheSourcesTotals() {
        let metrics = ServerMetrics()
        var traffic = TrafficCounters()
        traffic.packetsToPeer = 5
        let xdp = DatapathSample(datapath: "xdp", traffic: traffic, drops: ["no_route": 2])
        let first = String(decoding: metrics.render(workers: [], datapaths: [xdp], configuredXDP: [], process: ProcessSample()), as: UTF8.self)
        #expect(first.contains(#"turnpike_relayed_packets_total{direction="to_peer",datapath="xdp"} 5"#))
        #expect(first.contains(#"turnpike_dropped_packets_total{reason="no_route",datapath="xdp"} 2"#))
        traffic.packetsToPeer = 9
        let second = String(decoding: metrics.render(
            workers: [], datapaths: [DatapathSample(datapath: "xdp", traffic: traffic, drops: [:])],
            configuredXDP: [XDPAttachment(interface: "eth0", mode: "native")], process: ProcessSample()), as: UTF8.self)
        #expect(second.contains(#"turnpike_relayed_packets_total{direction="to_peer",datapath="xdp"} 9"#))
        #expect(second.contains(#"turnpike_xdp_attached{interface="eth0",mode="native"} 0"#))
        metrics.setXDPAttachments([XDPAttachment(interface: "eth0", mode: "native")])
        let third = String(decoding: metrics.render(
            workers: [], datapaths: [], configuredXDP: [XDPAttachment(interface: "eth0", mode: "native")], process: ProcessSample()), as: UTF8.self)
        #expect(third.contains(#"turnpike_xdp_attached{interface="eth0",mode="native"} 1"#))
    }
}
