import Foundation
import Testing
import TurnpikeXDP

/// The program's own cost per packet, measured by the kernel in `bpf_prog_test_run_opts`
/// (`duration`). Prints; asserts nothing about time. `scripts/xdp-prog-bench` runs it with more
/// runs (TURNPIKE_XDP_BENCH_RUNS).
///
/// A relayed packet is rewritten in place and the kernel does not restore the buffer between
/// repetitions, so `repeat` > 1 would time the rewritten packet (and its TTL runs out). Relayed
/// directions are therefore timed one run per syscall and averaged; each such run includes one
/// read of the clock, estimated from a verdict that leaves the packet unchanged (a STUN message
/// passed), timed both ways.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .testBed, .serialized)
struct XDPProgramBenchmark {
    static var runs: Int {
        ProcessInfo.processInfo.environment["TURNPIKE_XDP_BENCH_RUNS"].flatMap(Int.init) ?? 20_000
    }

    static let cases: [(String, Fixture)] = [
        ("client→peer IPv4→IPv4", .clientToPeer("", Topology.v4v4, data: Fixtures.data100)),
        ("client→peer IPv6→IPv6", .clientToPeer("", Topology.v6v6, data: Fixtures.data100)),
        ("client→peer IPv4→IPv6", .clientToPeer("", Topology.v4v6, data: Fixtures.data100)),
        ("client→peer IPv6→IPv4", .clientToPeer("", Topology.v6v4, data: Fixtures.data100)),
        ("peer→client IPv4→IPv4", .peerToClient("", Topology.v4v4, data: Fixtures.data100)),
        ("peer→client IPv6→IPv6", .peerToClient("", Topology.v6v6, data: Fixtures.data100)),
        ("peer→client IPv6→IPv4", .peerToClient("", Topology.v4v6, data: Fixtures.data100)),
        ("peer→client IPv4→IPv6", .peerToClient("", Topology.v6v4, data: Fixtures.data100)),
        ("client→peer 1200 B IPv4→IPv4", .clientToPeer("", Topology.v4v4, data: PacketBuilder.data(1200))),
        ("peer→client 1200 B IPv4→IPv4", .peerToClient("", Topology.v4v4, data: PacketBuilder.data(1200))),
    ]

    /// Verdicts that leave the packet unchanged, timed with `repeat`: where the time goes.
    static let stages: [(String, Fixture)] = [
        ("pass, repeat: STUN (parse only)", Fixtures.passed.first { $0.description.hasPrefix("STUN") }!),
        ("pass, repeat: unbound (+ map lookup)", Fixtures.passed.first { $0.description == "unbound channel number" }!),
        ("pass, repeat: MTU, IPv4 out (+ egress)", Fixtures.limits.first { $0.description.hasPrefix("client→peer IPv4 one byte over") }!),
        ("pass, repeat: MTU, IPv6 out (+ egress)", Fixtures.limits.first { $0.description.hasPrefix("client→peer IPv6 one byte over") }!),
    ]

    @Test func nanosecondsPerPacket() throws {
        let bed = try TestBed.require()
        let runs = Self.runs
        let stun = Fixtures.passed.first { $0.description.hasPrefix("STUN") }!
        let index = { (fixture: Fixture) in fixture.ingress == .clientSide ? bed.clientSideIndex : bed.peerSideIndex }

        var lines: [String] = []
        var stages: [String] = []
        let (passRepeated, passSingle) = try bed.network.run { () throws -> (Double, Double) in
            let repeated = try bed.program.testRun(packet: stun.input, ingressInterfaceIndex: index(stun),
                                                   repetitions: UInt32(runs)).nanosecondsPerRun
            let single = try Self.mean(runs) { try bed.program.testRun(packet: stun.input, ingressInterfaceIndex: index(stun)) }
            return (Double(repeated), single)
        }
        let overhead = max(0, passSingle - passRepeated)
        for (name, fixture) in Self.cases {
            let mean = try bed.network.run {
                try Self.mean(runs) { try bed.program.testRun(packet: fixture.input, ingressInterfaceIndex: index(fixture)) }
            }
            lines.append(Self.row(name, mean, mean - overhead))
        }
        for (name, fixture) in Self.stages {
            let repeated = try bed.network.run {
                try bed.program.testRun(packet: fixture.input, ingressInterfaceIndex: index(fixture), repetitions: UInt32(runs))
            }
            stages.append(Self.row(name, Double(repeated.nanosecondsPerRun), Double(repeated.nanosecondsPerRun)))
        }
        print("""
            XDP program cost, bpf_prog_test_run_opts on Linux \(Self.kernelRelease), \(runs) runs each
            \(Self.row("verdict", "ns/run", "ns/run − clock"))
            \(lines.joined(separator: "\n"))
            \(stages.joined(separator: "\n"))
            \(Self.row("pass (STUN), one run per call", passSingle, passSingle - overhead))
            clock overhead per single run (estimated): \(String(format: "%.1f", overhead)) ns
            """)
        #expect(lines.count == Self.cases.count)
    }

    /// Mean kernel-measured nanoseconds of `runs` single runs, checking each relayed.
    static func mean(_ runs: Int, _ run: () throws -> XDPTestRun) throws -> Double {
        var total: UInt64 = 0
        for _ in 0..<runs { total += UInt64(try run().nanosecondsPerRun) }
        return Double(total) / Double(max(runs, 1))
    }

    static func row(_ name: String, _ a: Double, _ b: Double) -> String {
        row(name, String(format: "%.1f", a), String(format: "%.1f", b))
    }

    static func row(_ name: String, _ a: String, _ b: String) -> String {
        name.padding(toLength: 40, withPad: " ", startingAt: 0) + a.leftPaddedSpaces(10) + b.leftPaddedSpaces(18)
    }

    static var kernelRelease: String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

extension String {
    func leftPaddedSpaces(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
