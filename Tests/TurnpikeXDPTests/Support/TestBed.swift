import Testing
import TurnpikeXDP

/// Loads the program with `Topology.configuration` in a fresh `TestNetwork` with every
/// `Topology.routes` binding installed and redirects to both interfaces allowed, for the whole
/// suite it is applied to.
///
/// With `separateEnds`, the far ends live in their own namespaces as the client and the peer, the
/// program is attached (native) to both relay interfaces, and a second instance, which passes
/// everything, to each far end: on veth, a frame sent by XDP_TX or a redirect only arrives where
/// an XDP program runs.
struct TestBedTrait: SuiteTrait, TestScoping {
    var separateEnds = false
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard Privilege.canLoadXDP else {
            try await function()
            return
        }
        let network = try TestNetwork.create(separateEnds: separateEnds)
        do {
            let program = try XDPProgram(configuration: Topology.configuration)
            for route in Topology.routes { try program.installChannel(route) }
            // Egress from the namespace's routes and neighbours (netlink), as the server does.
            try network.run { try program.startEgressResolution() }
            let bed = TestBed(network: network, program: program,
                              clientSideIndex: try network.index(of: network.clientInterface),
                              peerSideIndex: try network.index(of: network.peerInterface))
            var farEnds: [XDPProgram] = []
            if let clientNamespace = network.clientNamespace, let peerNamespace = network.peerNamespace {
                try network.run {
                    try program.attach(interface: network.clientInterface, mode: .native)
                    try program.attach(interface: network.peerInterface, mode: .native)
                }
                for (namespace, interface) in [(clientNamespace, network.clientPeerInterface), (peerNamespace, network.peerPeerInterface)] {
                    let passAll = try XDPProgram(configuration: XDPConfiguration(listeningPorts: [], relayPorts: nil))
                    _ = try network.run(in: namespace) { try passAll.attach(interface: interface, mode: .native) }
                    farEnds.append(passAll)
                }
            } else {
                // What `attach` would do on the two interfaces; the fixtures run detached.
                try network.run {
                    try program.allowRedirects(toInterfaceIndex: bed.clientSideIndex)
                    try program.allowRedirects(toInterfaceIndex: bed.peerSideIndex)
                }
            }
            try await TestBed.$current.withValue(bed) { try await function() }
            withExtendedLifetime(farEnds) {}
        } catch {
            network.destroy()
            throw error
        }
        network.destroy()
    }
}

extension Trait where Self == TestBedTrait {
    static var testBed: Self { TestBedTrait() }
    static var testBedWithHosts: Self { TestBedTrait(separateEnds: true) }
}

struct TestBed: Sendable {
    @TaskLocal static var current: TestBed?

    let network: TestNetwork
    let program: XDPProgram
    let clientSideIndex: UInt32
    let peerSideIndex: UInt32

    static func require() throws -> TestBed {
        try #require(current, "the suite needs the .testBed trait")
    }
}
