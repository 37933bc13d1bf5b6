import Testing
import TurnpikeXDP

/// The program run on the fixture table through `bpf_prog_test_run_opts`, inside a network
/// namespace (forwarding off) whose routes, neighbours and links the egress resolver reads
/// through netlink into the program's egress map (egress interface, MACs, MTU). Each run must count exactly the expected reason, return its verdict, and emit
/// exactly the expected bytes, whose checksums are verified independently as well.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .testBed, .serialized)
struct XDPFixtureTests {
    @Test(arguments: Fixtures.all)
    func fixture(_ fixture: Fixture) throws {
        let bed = try TestBed.require()
        let reason = try #require(XDPReason.named(fixture.reason), "unknown reason \(fixture.reason)")
        let index = fixture.ingress == .clientSide ? bed.clientSideIndex : bed.peerSideIndex

        let before = try bed.program.reasonCounters()
        let run = try bed.network.run { try bed.program.testRun(packet: fixture.input, ingressInterfaceIndex: index) }
        let after = try bed.program.reasonCounters()

        let counted = XDPReason.all.filter { after[$0] != before[$0] }
        #expect(counted == [reason])
        #expect(after[reason]?.packets == (before[reason]?.packets ?? 0) + 1)
        #expect(after[reason]?.bytes == (before[reason]?.bytes ?? 0) + UInt64(fixture.input.count))
        #expect(run.action == reason.verdict.rawValue, "verdict \(run.action) for \(reason)")

        let expected = fixture.expected ?? fixture.input
        #expect(run.output.hexLines == expected.hexLines)
        if fixture.expected != nil {
            #expect(InternetChecksum.verify(ipPacket: Array(run.output.dropFirst(14))), "checksums of the output")
        }
    }
}

extension Array where Element == UInt8 {
    /// 16 bytes per line, for readable failure diffs.
    var hexLines: [String] {
        stride(from: 0, to: count, by: 16).map { start in
            self[start..<Swift.min(start + 16, count)].map { String($0, radix: 16).leftPadded(2) }.joined(separator: " ")
        }
    }
}
