import Testing
import TurnpikeXDP
@testable import TURNServer

/// `turnpike_xdp_interface_ready{interface,reason}` and what each reason tells an operator.
@Suite struct XDPInterfaceReadinessTests {
    static func render(_ metrics: ServerMetrics, _ interfaces: [XDPInterfaceReadiness]) -> String {
        String(decoding: metrics.render(workers: [], datapaths: [], configuredXDP: [], process: ProcessSample(),
                                        xdpInterfaces: interfaces), as: UTF8.self)
    }

    @Test func readyAndNotReadyWithTheirReasons() {
        let metrics = ServerMetrics()
        let text = Self.render(metrics, [
            XDPInterfaceReadiness(interface: "eth0", reason: .native),
            XDPInterfaceReadiness(interface: "eth1", reason: .noPermission),
        ])
        #expect(text.contains(#"turnpike_xdp_interface_ready{interface="eth0",reason="native"} 1"#))
        #expect(text.contains(#"turnpike_xdp_interface_ready{interface="eth1",reason="no_permission"} 0"#))
    }

    /// A detach from outside: the mode's series drops to 0 beside the `detached` one.
    @Test func detachedTurnsTheModeSeriesOff() {
        let metrics = ServerMetrics()
        _ = Self.render(metrics, [XDPInterfaceReadiness(interface: "eth0", reason: .generic)])
        let text = Self.render(metrics, [XDPInterfaceReadiness(interface: "eth0", reason: .detached)])
        #expect(text.contains(#"turnpike_xdp_interface_ready{interface="eth0",reason="generic"} 0"#))
        #expect(text.contains(#"turnpike_xdp_interface_ready{interface="eth0",reason="detached"} 0"#))
        #expect(!text.contains(#"reason="generic"} 1"#))
    }

    @Test func egressDestinationsByState() {
        let metrics = ServerMetrics()
        let egress = XDPEgressResolution(destinations: 5, resolved: 3, unresolved: [.noNeighbour: 1, .notForwardable: 1],
                                         requestFailures: 0, resyncs: 0)
        let text = String(decoding: metrics.render(workers: [], datapaths: [], configuredXDP: [], process: ProcessSample(),
                                                   xdpEgress: egress), as: UTF8.self)
        #expect(text.contains(#"turnpike_xdp_egress_destinations{state="resolved"} 3"#))
        #expect(text.contains(#"turnpike_xdp_egress_destinations{state="no_neighbour"} 1"#))
        #expect(text.contains(#"turnpike_xdp_egress_destinations{state="not_forwardable"} 1"#))
        #expect(text.contains(#"turnpike_xdp_egress_destinations{state="no_route"} 0"#))
    }

    @Test(arguments: XDPInterfaceReadiness.Reason.allCases)
    func everyReasonSaysWhatToDo(reason: XDPInterfaceReadiness.Reason) {
        let entry = XDPInterfaceReadiness(interface: "eth0", reason: reason, detail: "EPERM")
        #expect(entry.ready == (reason == .native || reason == .generic))
        #expect(entry.detail.hasPrefix(reason.explanation))
        #expect(entry.detail.hasSuffix(": EPERM"))
        #expect(!reason.explanation.isEmpty)
    }

    @Test func permissionErrorsAreRecognised() {
        #expect(XDPDatapath.isPermission(.init(.load, errno: 1)))
        #expect(XDPDatapath.isPermission(.init(.attach, errno: 13)))
        #expect(!XDPDatapath.isPermission(.init(.attach, errno: 16)))
    }
}
