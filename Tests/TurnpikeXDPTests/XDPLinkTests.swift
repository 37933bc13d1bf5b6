import Foundation
import Testing
import TurnpikeXDP

/// The program is attached through a BPF link, which lives as long as a descriptor refers to it:
/// releasing the program (what the death of the process amounts to) leaves nothing on the
/// interface; netlink can neither remove nor replace it; BPF_LINK_DETACH from outside can, and the
/// owner notices.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .serialized)
struct XDPLinkTests {
    struct Attached {
        var attachment: XDPAttachment
        var programID: UInt32
    }

    /// Attaches a program of its own and returns without detaching: the program is released on
    /// return, so its deinit closes the link's descriptor and nothing else happens.
    static func attachAndRelease(_ network: TestNetwork, mode: XDPAttachMode) throws -> Attached {
        let program = try XDPProgram(configuration: Topology.configuration)
        let attachment = try #require(try network.run { try program.attach(interface: network.clientInterface, mode: mode) })
        let programID = try #require(program.programID)
        try network.run {
            #expect(XDPState.programID(on: network.clientInterface, mode: attachment.mode) == programID)
        }
        let link = XDPLink.all().first { $0.id == attachment.linkID }
        #expect(attachment.linkID != 0)
        #expect(link == XDPLink(id: attachment.linkID, programID: programID, interfaceIndex: attachment.interfaceIndex))
        return Attached(attachment: attachment, programID: programID)
    }

    @Test(arguments: [XDPAttachMode.native, .generic])
    func releasingTheProgramWithoutDetachingLeavesNothing(mode: XDPAttachMode) throws {
        let network = try TestNetwork.create()
        defer { network.destroy() }
        let attached = try Self.attachAndRelease(network, mode: mode)
        #expect(try network.run { XDPState.isBare(network.clientInterface) }, "the program stayed on the interface")
        #expect(!XDPLink.all().contains { $0.id == attached.attachment.linkID }, "the link outlived its descriptor")
        #expect(XDPState.waitUntil { !XDPState.programExists(attached.programID) }, "the program (and its maps) stayed loaded")
    }

    @Test(arguments: [XDPAttachMode.native, .generic])
    func netlinkCannotRemoveItButALinkDetachCan(mode: XDPAttachMode) throws {
        let network = try TestNetwork.create()
        defer { network.destroy() }
        let program = try XDPProgram(configuration: Topology.configuration)
        let interface = network.clientInterface
        let attachment = try #require(try network.run { try program.attach(interface: interface, mode: mode) })
        let off = mode == .native ? "xdpdrv" : "xdpgeneric"
        #expect(throws: ShellError.self) {
            try Shell.run(["ip", "-n", network.name, "link", "set", "dev", interface, off, "off"])
        }
        #expect(try network.run { program.isStillAttached(attachment) })

        let detached = try network.run { try XDPState.detachLink(on: interface) }
        #expect(detached.id == attachment.linkID)
        #expect(try network.run { XDPState.isBare(interface) })
        #expect(try network.run { !program.isStillAttached(attachment) })
        // The defunct link stays until its owner closes it; it no longer names an interface.
        #expect(XDPLink.all().first { $0.id == attachment.linkID }?.interfaceIndex == 0)
        program.forget(attachment)
        #expect(program.attachments.isEmpty)
        #expect(!XDPLink.all().contains { $0.id == attachment.linkID })

        let again = try #require(try network.run { try program.attach(interface: interface, mode: mode) })
        #expect(again.linkID != attachment.linkID)
        #expect(try network.run { program.isStillAttached(again) })
        try network.run { try program.detach(interface: interface) }
        #expect(try network.run { XDPState.isBare(interface) })
    }

    /// Another process's live attachment is a link: `detachStale` leaves it alone, and a second
    /// program is refused with a message naming the link.
    @Test func aLinkIsNeverTakenForAStaleProgram() throws {
        let network = try TestNetwork.create()
        defer { network.destroy() }
        let owner = try XDPProgram(configuration: Topology.configuration)
        let interface = network.clientInterface
        let attachment = try #require(try network.run { try owner.attach(interface: interface, mode: .native) })
        #expect(try network.run { XDPProgram.detachStale(interface: interface) }.isEmpty)
        #expect(try network.run { owner.isStillAttached(attachment) })

        let second = try XDPProgram(configuration: Topology.configuration)
        let error = #expect(throws: XDPError(.attach)) { try network.run { try second.attach(interface: interface, mode: .native) } }
        #expect(error?.errno == EBUSY)
        #expect(error?.diagnostics.contains("link \(attachment.linkID)") == true, "\(String(describing: error))")
        // Native and generic cannot run at once: the other mode is refused too.
        let generic = #expect(throws: XDPError(.attach)) { try network.run { try second.attach(interface: interface, mode: .generic) } }
        #expect(generic?.errno == EEXIST)
        // Netlink's `xdpgeneric off` finds nothing in generic mode: it succeeds and changes nothing.
        try Shell.run(["ip", "-n", network.name, "link", "set", "dev", interface, "xdpgeneric", "off"])
        #expect(try network.run { owner.isStillAttached(attachment) })
    }
}
