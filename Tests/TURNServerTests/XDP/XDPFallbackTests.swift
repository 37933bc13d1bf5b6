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

    @Test(arguments: [ServerConfiguration.XDPMode.native, .generic])
    func anExplicitModeThatCannotAttachRefusesToStart(mode: ServerConfiguration.XDPMode) async throws {
        let configuration = LiveServer.configuration { $0.xdp = .init(mode: mode, interfaces: [Self.missingInterface]) }
        await #expect(throws: ServerStartError.self) {
            let live = try await LiveServer.start(configuration)
            await live.stop()
        }
    }
}
