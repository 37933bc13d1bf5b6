import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// `/metrics`, `/healthz` and `/readyz` on a live server.
@Suite(.serialized) struct MetricsEndpointTests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Two allocations joined by a channel, with `count` packets relayed each way.
    static func traffic(_ ops: OperationsServer, count: Int) async throws -> (TURNClient, TURNClient) {
        let a = try await ops.live.client(.udp)
        let b = try await ops.live.client(.udp)
        let relayA = try await a.allocate()
        let relayB = try await b.allocate()
        _ = try await a.createPermission(relayB)
        _ = try await b.createPermission(relayA)
        _ = try await a.channelBind(0x4000, to: relayB)
        _ = try await b.channelBind(0x4000, to: relayA)
        for index in 0..<count {
            try await a.sendChannelData(0x4000, "ping \(index)")
            _ = try await b.receiveData()
            try await b.sendChannelData(0x4000, "pong \(index)")
            _ = try await a.receiveData()
        }
        return (a, b)
    }

    static func value(_ exposition: String, _ series: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func metricsAreLiveWithBoundedLabels() async throws {
        let ops = try await OperationsServer.start()
        let (a, b) = try await Self.traffic(ops, count: 3)
        let reply = try #require(await PlainHTTP.get(port: ops.httpPort, "/metrics"))
        #expect(reply.status == 200)
        #expect(reply.headers.lowercased().contains("content-type: text/plain; version=0.0.4"))
        let text = reply.body
        // Live: the allocations are still open, and their traffic is already counted.
        #expect(Self.value(text, #"turnpike_allocations{family="ipv4",transport="udp"}"#) == 2)
        #expect(Self.value(text, "turnpike_permissions") == 2)
        #expect(Self.value(text, "turnpike_channels") == 2)
        #expect(Self.value(text, "turnpike_allocations_created_total") == 2)
        // Each ChannelData leaves one allocation towards the other and enters the other towards its client.
        #expect(Self.value(text, #"turnpike_relayed_packets_total{direction="to_peer",datapath="userspace"}"#) == 6)
        #expect(Self.value(text, #"turnpike_relayed_packets_total{direction="to_client",datapath="userspace"}"#) == 6)
        #expect(Self.value(text, #"turnpike_requests_total{method="allocate",result="success"}"#) == 2)
        #expect(Self.value(text, #"turnpike_requests_total{method="allocate",result="401"}"#) == 2)
        #expect(Self.value(text, #"turnpike_auth_failures_total{reason="missing_integrity"}"#) == 2)
        #expect(Self.value(text, #"turnpike_dropped_packets_total{reason="no_permission",datapath="userspace"}"#) == 0)
        #expect(Self.value(text, #"turnpike_xdp_attached{interface="none",mode="off"}"#) == 0)
        // Every answered request is timed: 2 × (401 + Allocate), 2 CreatePermission, 2 ChannelBind.
        #expect(Self.value(text, "turnpike_request_duration_seconds_count") == 8)
        #expect((Self.value(text, "process_resident_memory_bytes") ?? 0) > 0)
        #expect((Self.value(text, "process_open_fds") ?? 0) > 0)
        #expect(Self.value(text, "process_cpu_seconds_total") != nil)
        // Never a client address or a username in a label.
        #expect(!text.contains("127.0.0.1"))
        #expect(!text.contains(LiveServer.username))

        // Deleting shows at the next scrape.
        _ = try await a.refresh(lifetime: 0)
        let after = try #require(await PlainHTTP.get(port: ops.httpPort, "/metrics")).body
        #expect(Self.value(after, #"turnpike_allocations{family="ipv4",transport="udp"}"#) == 1)
        #expect(Self.value(after, #"turnpike_allocations_deleted_total{reason="refreshed_to_zero"}"#) == 1)
        await a.close()
        await b.close()
        await ops.stop()
    }

    @Test(.enabled(if: promtool != nil, "promtool is not installed (Debian package prometheus; scripts/install-deps)"))
    func promtoolAcceptsTheRealOutput() async throws {
        let ops = try await OperationsServer.start()
        let (a, b) = try await Self.traffic(ops, count: 2)
        let text = try #require(await PlainHTTP.get(port: ops.httpPort, "/metrics")).body
        let check = await runProgram(URL(fileURLWithPath: try #require(Self.promtool)), ["check", "metrics"], stdin: text)
        #expect(check.status == 0, "promtool: \(check.stdout) \(check.stderr)")
        await a.close()
        await b.close()
        await ops.stop()
    }

    @Test func healthAndReadinessFollowTheDrain() async throws {
        let ops = try await OperationsServer.start()
        #expect(await PlainHTTP.get(port: ops.httpPort, "/healthz")?.status == 200)
        #expect(await PlainHTTP.get(port: ops.httpPort, "/readyz")?.status == 200)
        await ops.live.server.beginDrain()
        let ready = await PlainHTTP.get(port: ops.httpPort, "/readyz")
        #expect(ready?.status == 503)
        #expect(ready?.body == "draining\n")
        #expect(await PlainHTTP.get(port: ops.httpPort, "/healthz")?.status == 200)
        await ops.stop()
    }
}
