import Foundation
import STUNWire
import Testing
import TurnpikeXDP

/// Route installation, per-route counters and attach/detach against the loaded program, in the
/// suite's own network namespace.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .testBed, .serialized)
struct XDPProgramTests {
    typealias T = Topology

    /// Runs one fixture's input through `program` and returns the reason it was counted under.
    static func reason(of fixture: Fixture, program: XDPProgram, bed: TestBed) throws -> XDPReason? {
        let index = fixture.ingress == .clientSide ? bed.clientSideIndex : bed.peerSideIndex
        let before = try program.reasonCounters()
        _ = try bed.network.run { try program.testRun(packet: fixture.input, ingressInterfaceIndex: index) }
        let after = try program.reasonCounters()
        return XDPReason.all.first { after[$0] != before[$0] }
    }

    @Test func installRefreshAndRemove() throws {
        let bed = try TestBed.require()
        let program = try XDPProgram(configuration: T.configuration)
        try bed.network.run { try program.startEgressResolution() }
        let toPeer = Fixture.clientToPeer("", T.v4v4, data: Fixtures.data100)
        let toClient = Fixture.peerToClient("", T.v4v4, data: Fixtures.data100)
        #expect(try Self.reason(of: toPeer, program: program, bed: bed)?.name == "channel_unbound")
        #expect(try Self.reason(of: toClient, program: program, bed: bed)?.name == "peer_unbound")

        #expect(try program.installChannel(T.v4v4) == 0)
        #expect(try program.installChannel(T.v6v6) == 1)
        #expect(try program.installChannel(T.v4v4) == 0, "a refresh keeps the index")
        #expect(program.installedChannelCount == 2)
        #expect(try Self.reason(of: toPeer, program: program, bed: bed)?.name == "egress_not_enabled",
                "not attached anywhere: no interface to redirect to")
        #expect(try program.counters(for: T.v4v4) == XDPRouteCounters())
        try bed.network.run {
            try program.allowRedirects(toInterfaceIndex: bed.peerSideIndex)
            try program.allowRedirects(toInterfaceIndex: bed.clientSideIndex)
        }
        #expect(try Self.reason(of: toPeer, program: program, bed: bed)?.name == "redirect_to_peer")
        #expect(try Self.reason(of: toClient, program: program, bed: bed)?.name == "redirect_to_client")
        #expect(try program.counters(for: T.v4v4) == XDPRouteCounters(toPeerPackets: 1, toPeerBytes: 100, toClientPackets: 1, toClientBytes: 100))

        try program.removeChannel(T.v4v4)
        try program.removeChannel(T.v4v4) // already gone: nothing to do
        #expect(try program.counters(for: T.v4v4) == nil)
        #expect(try Self.reason(of: toPeer, program: program, bed: bed)?.name == "channel_unbound")
        #expect(try Self.reason(of: toClient, program: program, bed: bed)?.name == "peer_unbound")

        // The freed index is reused, and starts from zero.
        #expect(try program.installChannel(T.v4v6) == 0)
        #expect(try program.counters(for: T.v4v6) == XDPRouteCounters())
    }

    @Test func rebindingToAnotherPeerRemovesTheOldReverseEntry() throws {
        let bed = try TestBed.require()
        let program = try XDPProgram(configuration: T.configuration)
        try bed.network.run { try program.startEgressResolution() }
        try program.installChannel(T.v4v4)
        try bed.network.run { try program.allowRedirects(toInterfaceIndex: bed.clientSideIndex) }
        var moved = T.v4v4
        moved.peer = T.address(T.peerV4, 60100)
        #expect(try program.installChannel(moved) == 0)
        #expect(try Self.reason(of: Fixture.peerToClient("", T.v4v4, data: Fixtures.data100), program: program, bed: bed)?.name
            == "peer_unbound")
        #expect(try Self.reason(of: Fixture.peerToClient("", moved, data: Fixtures.data100), program: program, bed: bed)?.name
            == "redirect_to_client")
    }

    @Test func routeCountersCountDataBytesPerDirection() throws {
        let bed = try TestBed.require()
        let before = try #require(try bed.program.counters(for: T.v6v4))
        let toPeer = Fixture.clientToPeer("", T.v6v4, data: Fixtures.data101, padding: 3)
        let toClient = Fixture.peerToClient("", T.v6v4, data: PacketBuilder.data(60))
        for _ in 0..<3 { _ = try Self.reason(of: toPeer, program: bed.program, bed: bed) }
        for _ in 0..<2 { _ = try Self.reason(of: toClient, program: bed.program, bed: bed) }
        let after = try #require(try bed.program.counters(for: T.v6v4))
        #expect(after.toPeerPackets - before.toPeerPackets == 3)
        #expect(after.toPeerBytes - before.toPeerBytes == 3 * 101)
        #expect(after.toClientPackets - before.toClientPackets == 2)
        #expect(after.toClientBytes - before.toClientBytes == 2 * 60)
    }

    @Test func allocationToAllocationCountsBothRoutes() throws {
        let bed = try TestBed.require()
        let a = try #require(try bed.program.counters(for: T.allocationA))
        let b = try #require(try bed.program.counters(for: T.allocationB))
        #expect(try Self.reason(of: Fixtures.allocationToAllocation, program: bed.program, bed: bed)?.name == "tx_between_allocations")
        let a2 = try #require(try bed.program.counters(for: T.allocationA))
        let b2 = try #require(try bed.program.counters(for: T.allocationB))
        #expect(a2.toPeerPackets == a.toPeerPackets + 1 && a2.toPeerBytes == a.toPeerBytes + 101)
        #expect(b2.toClientPackets == b.toClientPackets + 1 && b2.toClientBytes == b.toClientBytes + 101)
    }

    @Test(arguments: [XDPAttachMode.native, .generic])
    func attachAndDetach(mode: XDPAttachMode) throws {
        let bed = try TestBed.require()
        let program = try XDPProgram(configuration: T.configuration)
        let interface = bed.network.clientPeerInterface
        let attachment = try bed.network.run { try program.attach(interface: interface, mode: mode) }
        #expect(attachment?.mode.rawValue == mode.rawValue)
        #expect(attachment?.nativeFailure == nil)
        #expect(program.attachments.map(\.interface) == [interface])
        #expect(try bed.network.run { try Shell.run(["ip", "link", "show", interface]) }.contains(mode == .native ? "xdp " : "xdpgeneric"))

        // A second program must not displace the first.
        let other = try XDPProgram(configuration: T.configuration)
        #expect(throws: XDPError(.attach)) { try bed.network.run { try other.attach(interface: interface, mode: mode) } }

        try bed.network.run { try program.detach(interface: interface) }
        #expect(program.attachments.isEmpty)
        #expect(try !bed.network.run { try Shell.run(["ip", "link", "show", interface]) }.contains("xdp"))
    }

    /// A bridge has no driver XDP: `auto` falls back to generic and says why.
    @Test func autoFallsBackToGeneric() throws {
        let bed = try TestBed.require()
        let program = try XDPProgram(configuration: T.configuration)
        let bridge = "tpb" + bed.network.name.dropFirst(TestNetwork.prefix.count)
        try bed.network.run { _ = try Shell.run(["ip", "link", "add", bridge, "type", "bridge"]) }
        let attachment = try #require(try bed.network.run { try program.attach(interface: bridge, mode: .auto) })
        #expect(attachment.mode == .generic)
        #expect(attachment.nativeFailure?.code == .attach)
        #expect(try bed.network.run { try program.attach(interface: bridge, mode: .off) } == nil)
        try bed.network.run { program.detachAll() }
        #expect(program.attachments.isEmpty)
        #expect(throws: XDPError(.noSuchInterface)) { try program.attach(interface: "tp-missing0", mode: .native) }
    }

    /// A datagram from a local socket crosses veth with an offloaded checksum: the UDP checksum
    /// field holds only the pseudo-header sum (CHECKSUM_PARTIAL). In native and generic mode the
    /// program must recognise it and hand it to the stack; the same datagram built in full and
    /// injected as a raw frame is relayed.
    @Test(arguments: [XDPAttachMode.native, .generic], [AddressFamily.ipv4, .ipv6])
    func offloadedChecksumFromALocalSocketGoesToTheStack(mode: XDPAttachMode, family: AddressFamily) throws {
        let bed = try TestBed.require()
        let program = try XDPProgram(configuration: T.configuration)
        // The namespace's own address on the client link talks to the "server" at .2 / ::2.
        let local = family == .ipv4 ? T.address(T.serverV4, 41000) : T.address(T.serverV6, 41000)
        let remote = family == .ipv4 ? T.address(T.clientV4, T.listeningPort) : T.address(T.clientV6, T.listeningPort)
        let peer = family == .ipv4 ? T.address(T.peerV4, 60010) : T.address(T.peerV6, 60010)
        let relayed = family == .ipv4 ? T.address(T.relayV4, 50010) : T.address(T.relayV6, 50010)
        try program.installChannel(XDPChannelRoute(client: local, server: remote, channel: ChannelNumber(rawValue: 0x4010),
                                                   relayed: relayed, peer: peer))
        let payload = PacketBuilder.channelData(0x4010, Fixtures.data100)
        let interface = bed.network.clientPeerInterface
        try bed.network.run {
            try program.startEgressResolution()
            _ = try program.attach(interface: interface, mode: mode)
            try program.allowRedirects(toInterfaceIndex: bed.peerSideIndex)
        }
        defer { _ = try? bed.network.run { try program.detach(interface: interface) } }

        let partial = try #require(XDPReason.named("checksum_partial"))
        let relayedReason = try #require(XDPReason.named("redirect_to_peer"))
        let before = try program.reasonCounters()
        try bed.network.run { try Sockets.sendUDP(payload, from: local, to: remote) }
        try Self.waitUntil { try program.reasonCounters()[partial] != before[partial] }
        #expect(try program.reasonCounters()[partial]?.packets == (before[partial]?.packets ?? 0) + 1)

        var frame = PacketBuilder(source: local, destination: remote, payload: payload)
        frame.ttl = 64
        let bytes = frame.frame(from: T.clientSideMAC, to: T.clientMAC)
        let clientSide = bed.clientSideIndex
        try bed.network.run { try Sockets.sendFrame(bytes, interfaceIndex: clientSide) }
        try Self.waitUntil { try program.reasonCounters()[relayedReason] != before[relayedReason] }
        #expect(try program.reasonCounters()[relayedReason]?.packets == (before[relayedReason]?.packets ?? 0) + 1)
        #expect(try program.reasonCounters()[partial]?.packets == (before[partial]?.packets ?? 0) + 1)
    }

    /// Polls (this is the namespace tier, where real packets take real time) for up to 2 s.
    static func waitUntil(_ condition: () throws -> Bool) throws {
        for _ in 0..<200 {
            if try condition() { return }
            usleep(10_000)
        }
        Issue.record("condition not met within 2 s")
    }
}
