import CLibbpf
import Foundation
import Testing
@testable import TurnpikeXDP

/// A turnpike program left attached through netlink by a process that died (as turnpike attached
/// before it used BPF links) is removed before a new one attaches; another program, or one held by
/// a link, is never touched.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .serialized)
struct XDPStaleAttachmentTests {
    /// Attaches a program of its own through netlink and releases it without detaching, as a
    /// killed process of an older version did; returns the id of the program left behind.
    static func leaveNetlinkAttachment(_ network: TestNetwork, mode: XDPAttachment.Mode) throws -> UInt32 {
        let leftover = try XDPProgram(configuration: Topology.configuration)
        let index = try network.index(of: network.clientInterface)
        let result = try network.run { bpf_xdp_attach(Int32(index), leftover.programDescriptor, XDPProgram.flags(mode), nil) }
        try #require(result == 0, "bpf_xdp_attach: errno \(-result)")
        return try #require(leftover.programID)
    }

    @Test(arguments: [XDPAttachment.Mode.native, .generic])
    func aLeftoverTurnpikeProgramIsDetached(mode: XDPAttachment.Mode) throws {
        let network = try TestNetwork.create()
        defer { network.destroy() }
        let leftover = try Self.leaveNetlinkAttachment(network, mode: mode)
        // Netlink keeps it attached, and loaded, after every descriptor to it was closed.
        #expect(try network.run { XDPState.programID(on: network.clientInterface, mode: mode) } == leftover)
        let removed = try network.run { XDPProgram.detachStale(interface: network.clientInterface) }
        #expect(removed == [mode])
        #expect(try network.run { XDPState.isBare(network.clientInterface) })
        // A fresh program attaches where the leftover was.
        let fresh = try XDPProgram(configuration: Topology.configuration)
        let again = try network.run { try fresh.attach(interface: network.clientInterface, mode: mode == .native ? .native : .generic) }
        #expect(again?.mode == mode)
    }

    @Test func anotherProgramIsLeftAlone() throws {
        let network = try TestNetwork.create()
        defer { network.destroy() }
        let object = "/tmp/turnpike-pass-\(getpid()).o"
        try Shell.run(["sh", "-c", """
            printf '%s\\n' '#include <linux/bpf.h>' \
              '__attribute__((section("xdp"), used)) int pass_all(struct xdp_md *ctx) { return XDP_PASS; }' \
              'char _license[] __attribute__((section("license"), used)) = "GPL";' \
            | ${TURNPIKE_BPF_CLANG:-clang} -O2 -target bpf -I/usr/include/$(gcc -print-multiarch) -x c -c - -o \(object)
            """])
        defer { _ = try? Shell.run(["rm", "-f", object]) }
        try Shell.run(["ip", "-n", network.name, "link", "set", "dev", network.clientInterface, "xdpdrv", "obj", object, "sec", "xdp"])
        #expect(try network.run { XDPProgram.detachStale(interface: network.clientInterface) }.isEmpty)
        let shown = try Shell.run(["ip", "-n", network.name, "link", "show", "dev", network.clientInterface])
        #expect(shown.contains("xdp"))
    }
}
