import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// `xdp.mode` when the fast path cannot be had (DESIGN.md, "Kernel fast path"): `auto` runs in
/// userspace and says so in one line; `native` and `generic` refuse to start. Without root the
/// program does not load; as root it loads and the interface does not exist: either way there
/// is no XDP.
@Suite struct XDPFallbackTests {
    static let missingInterface = "tpnosuch\(getpid() % 100_000)"

    @Test func autoRelaysInUserspaceAndLogsOneLine() async throws {
        let configuration = LiveServer.configuration { $0.xdp = .init(mode: .auto, interfaces: [Self.missingInterface]) }
        let live = try await LiveServer.start(configuration)
        let client = try await live.client(.udp)
        let peer = try await live.peer()
        do {
            #expect(live.logs.all.filter { $0.contains("xdp unavailable, relaying in userspace only") }.count == 1)
            #expect(live.server.xdpStatistics?.loaded == false)
            let relayed = try await client.allocate()
            #expect(try await client.createPermission(peer.address).type.messageClass == .successResponse)
            #expect(try await client.channelBind(0x4000, to: peer.address).type.messageClass == .successResponse)
            try await client.sendChannelData(0x4000, "without the fast path")
            let atPeer = try await peer.received.next()
            #expect(String(buffer: atPeer.payload) == "without the fast path")
            #expect(atPeer.from == relayed)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }

    /// `auto` with no interfaces named and every address on loopback: loopback is left alone,
    /// one line says why for `lo`, and the metric and the statistics say the same.
    @Test func autoLeavesLoopbackAlone() async throws {
        let configuration = LiveServer.configuration { $0.xdp = .init(mode: .auto, interfaces: []) }
        let live = try await LiveServer.start(configuration)
        let notReady = live.logs.all.filter { $0.contains("xdp interface not ready") }
        #expect(notReady.count == 1)
        #expect(notReady.first?.contains("loopback") == true)
        #expect(live.logs.all.filter { $0.contains("xdp unavailable, relaying in userspace only") }.count == 1)
        let interfaces = live.server.xdpStatistics?.interfaces ?? []
        #expect(interfaces.map(\.interface) == ["lo"])
        #expect(interfaces.first?.reason == .loopback)
        #expect(interfaces.first?.ready == false)
        let metrics = String(decoding: await live.server.metricsExposition(), as: UTF8.self)
        #expect(metrics.contains(#"turnpike_xdp_interface_ready{interface="lo",reason="loopback"} 0"#))
        let stats = await live.server.stats()
        #expect(stats.xdpInterfaces.map(\.reason) == [.loopback])
        await live.stop()
    }

    @Test(arguments: [ServerConfiguration.XDPMode.native, .generic])
    func anExplicitModeThatCannotAttachRefusesToStart(mode: ServerConfiguration.XDPMode) async throws {
        let configuration = LiveServer.configuration { $0.xdp = .init(mode: mode, interfaces: [Self.missingInterface]) }
        await #expect(throws: ServerStartError.self) {
            let live = try await LiveServer.start(configuration)
            await live.stop()
        }
    }
}
