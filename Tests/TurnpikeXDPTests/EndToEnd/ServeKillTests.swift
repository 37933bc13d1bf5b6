import Foundation
import Testing
import TurnpikeXDP
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL, then restart: a killed `turnpike serve` leaves nothing in the kernel. Its program is
/// attached through BPF links, which the kernel releases with the process's descriptors, so the
/// interfaces are bare at once, the program and its maps are freed, and the next start finds no
/// leftover to remove.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .serialized)
struct ServeKillTests {
    @Test(arguments: ["native", "generic"])
    func aKilledServerLeavesNoProgramAttached(xdpMode: String) throws {
        let network = try TestNetwork.create()
        defer { network.destroy() }
        let mode: XDPAttachment.Mode = xdpMode == "native" ? .native : .generic
        let interfaces = [network.clientInterface, network.peerInterface]
        let adminSocket = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-kill-\(getpid())-\(xdpMode).sock").path
        let configuration = ServeEndToEndTests.configuration(xdpMode, network, adminSocket: adminSocket)

        let killed = try ServeProcess(namespace: network.name, configuration: configuration, adminSocket: adminSocket)
        defer { killed.stop() }
        try killed.waitForLog("xdp fast path attached")
        let programIDs = try network.run { interfaces.map { XDPState.programID(on: $0, mode: mode) } }
        let programID = try #require(programIDs.first)
        #expect(programID != 0 && programIDs.allSatisfy { $0 == programID }, "\(programIDs)\n\(killed.log)")
        let attached = try #require(killed.logLines("xdp fast path attached").first)
        let linkIDs = Set(ServeEndToEndTests.linkIDs(attached["link_ids"] ?? "").values.compactMap { UInt32($0) })
        #expect(linkIDs.count == 2)
        #expect(Set(XDPLink.all().filter { $0.programID == programID }.map(\.id)) == linkIDs)

        kill(killed.process.processIdentifier, SIGKILL)
        killed.process.waitUntilExit()
        #expect(killed.process.terminationReason == .uncaughtSignal)
        #expect(try XDPState.waitUntil { try network.run { interfaces.allSatisfy(XDPState.isBare) } },
                "a program stayed attached after SIGKILL")
        #expect(!XDPLink.all().contains { linkIDs.contains($0.id) }, "a link outlived the process")
        #expect(XDPState.waitUntil { !XDPState.programExists(programID) }, "the program (and its maps) stayed loaded")

        // The next start attaches without finding anything to clean up.
        let restarted = try ServeProcess(namespace: network.name, configuration: configuration, adminSocket: adminSocket)
        defer { restarted.stop() }
        try restarted.waitForLog("xdp fast path attached")
        #expect(restarted.logLines("xdp: removed a turnpike program left attached by an earlier process").isEmpty)
        #expect(try network.run { interfaces.allSatisfy { XDPState.programID(on: $0, mode: mode) != 0 } })
    }
}
