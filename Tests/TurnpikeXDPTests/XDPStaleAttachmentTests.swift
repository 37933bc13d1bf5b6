import Foundation
import Testing
import TurnpikeXDP

/// A turnpike program left attached by a process that died is removed before a new one attaches;
/// another program is never touched.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .serialized)
struct XDPStaleAttachmentTests {
    @Test(arguments: [XDPAttachMode.native, .generic])
    func aLeftoverTurnpikeProgramIsDetached(mode: XDPAttachMode) throws {
        let network = try TestNetwork.create()
        defer { network.destroy() }
        let leftover = try XDPProgram(configuration: Topology.configuration)
        let attachment = try #require(try network.run { try leftover.attach(interface: network.clientInterface, mode: mode) })
        let removed = try network.run { XDPProgram.detachStale(interface: network.clientInterface) }
        #expect(removed == [attachment.mode])
        #expect(try network.run { !leftover.isStillAttached(attachment) })
        // A fresh program attaches where the leftover was.
        let fresh = try XDPProgram(configuration: Topology.configuration)
        let again = try network.run { try fresh.attach(interface: network.clientInterface, mode: mode) }
        #expect(again?.mode == attachment.mode)
        try network.run { leftover.forget(attachment) }
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
