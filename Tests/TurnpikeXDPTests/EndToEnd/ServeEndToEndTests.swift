import Foundation
import STUNWire
import Testing
import TurnpikeXDP

/// `turnpike serve` in the relay namespace of a `TestNetwork` with separate client and peer
/// namespaces, real TURN clients and peers, IPv4 and IPv6, both directions through channels.
/// Forwarding is off in every namespace, as on a cloud VM's default image: the kernel path
/// relays anyway (its egress comes from netlink, not bpf_fib_lookup), and the relay host
/// forwards nothing that is not a bound channel's traffic. `default` runs the configuration with
/// no `xdp` section at all (`xdp.mode: auto`, interfaces from the addresses).
///
/// Per allocation, in three phases: full checksums from the senders (tx offload off on their
/// veths), which the XDP program relays; partial (offloaded) checksums, which it passes to
/// userspace; and, with XDP, after the program's BPF links were detached from outside
/// (BPF_LINK_DETACH, as `bpftool link detach id N` does; `ip link set ... xdp off` is refused),
/// when userspace relays everything again. Every datagram must arrive intact at a
/// receiving socket (which drops bad checksums; the namespaces' InCsumErrors must not move), and
/// the counters the server logs when the allocation is deleted must put each packet on the
/// datapath that carried it.
@Suite(.enabled(if: Privilege.canLoadXDP, Privilege.skipMessage), .serialized)
struct ServeEndToEndTests {
    static let username = "e2e"
    static let password = "end-to-end-Vq3"
    /// Datagrams per phase, per direction, per family.
    static let count = 40

    struct Session {
        let family: AddressFamily
        let client: BlockingTURNClient
        let peer: UDPReceiver
        let relayed: TransportAddress
        let channel: UInt16
        var expectedXDP = TrafficCounters()
        var expectedUserspace = TrafficCounters()
    }

    struct TrafficCounters: Equatable, CustomStringConvertible {
        var toPeerPackets = 0, toPeerBytes = 0, toClientPackets = 0, toClientBytes = 0
        var description: String { "to peer \(toPeerPackets)/\(toPeerBytes) B, to client \(toClientPackets)/\(toClientBytes) B" }
    }

    @Test(arguments: ["default", "native", "off"])
    func relaysBothWaysBothFamilies(xdpMode: String) throws {
        let onXDP = xdpMode != "off"
        let network = try TestNetwork.create(separateEnds: true)
        defer { network.destroy() }
        let clientNamespace = try #require(network.clientNamespace)
        let peerNamespace = try #require(network.peerNamespace)
        // On veth, XDP_TX and redirected frames arrive only where an XDP program runs.
        var farEnds: [XDPProgram] = []
        for (namespace, interface) in [(clientNamespace, network.clientPeerInterface), (peerNamespace, network.peerPeerInterface)] {
            let passAll = try XDPProgram(configuration: XDPConfiguration(listeningPorts: [], relayPorts: nil))
            _ = try network.run(in: namespace) { try passAll.attach(interface: interface, mode: .native) }
            farEnds.append(passAll)
        }
        defer { withExtendedLifetime(farEnds) {} }

        let adminSocket = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-e2e-\(getpid())-\(xdpMode).sock").path
        let server = try ServeProcess(
            namespace: network.name, configuration: Self.configuration(xdpMode, network, adminSocket: adminSocket), adminSocket: adminSocket)
        defer { server.stop() }
        try server.waitForLog("turnpike listening")
        var linkIDs: [String: String] = [:]
        if onXDP {
            let attached = try #require(server.logLines("xdp fast path attached").first, "\(server.log)")
            #expect(attached["interfaces"] == "\(network.clientInterface)(native),\(network.peerInterface)(native)")
            linkIDs = Self.linkIDs(attached["link_ids"] ?? "")
            // One line per interface says the kernel will relay there, and why.
            let ready = server.logLines("xdp interface ready")
            #expect(Dictionary(ready.map { ($0["interface"] ?? "", $0["reason"] ?? "") }, uniquingKeysWith: { $1 })
                == [network.clientInterface: "native", network.peerInterface: "native"], "\(server.log)")
            #expect(server.logLines("xdp interface not ready").isEmpty)
            #expect(try AdminCLI(socket: adminSocket).xdpInterfaceReasons()
                == [network.clientInterface: "native", network.peerInterface: "native"])
        } else {
            #expect(try AdminCLI(socket: adminSocket).xdpInterfaceReasons().isEmpty)
        }
        let checksumErrorsBefore = try Self.checksumErrors(network)

        var sessions: [Session] = []
        for (family, channel) in [(AddressFamily.ipv4, UInt16(0x4000)), (.ipv6, UInt16(0x4001))] {
            let (client, relayed) = try network.run(in: clientNamespace) { () throws -> (BlockingTURNClient, TransportAddress) in
                let client = try BlockingTURNClient(
                    local: Topology.address(family == .ipv4 ? Topology.clientV4 : Topology.clientV6, 0),
                    server: Topology.address(family == .ipv4 ? Topology.serverV4 : Topology.serverV6, Topology.listeningPort),
                    username: Self.username, password: Self.password)
                return (client, try client.allocate(family: family))
            }
            let peerAddress = Topology.address(family == .ipv4 ? Topology.peerV4 : Topology.peerV6, 61000)
            let peer = try network.run(in: peerNamespace) { try UDPReceiver(boundTo: peerAddress) }
            try client.bindChannel(channel, to: peerAddress)
            #expect(relayed.ip == (family == .ipv4 ? Topology.relayV4 : Topology.relayV6))
            sessions.append(Session(family: family, client: client, peer: peer, relayed: relayed, channel: channel))
        }

        // 1. Full checksums: the fast path's traffic when XDP is attached.
        try Self.setTransmitChecksumOffload(false, network)
        for index in sessions.indices {
            try Self.exchange(&sessions[index], phase: 1, onXDP: onXDP)
        }
        // 2. Partial checksums: the program passes them, userspace relays them.
        try Self.setTransmitChecksumOffload(true, network)
        for index in sessions.indices {
            try Self.exchange(&sessions[index], phase: 2, onXDP: false)
        }
        // The relay host is no router: other UDP towards the peer's side is not forwarded.
        try Self.expectNothingForwarded(network)
        // 3. The program detached from outside while traffic flows: userspace sees it again.
        try Self.setTransmitChecksumOffload(false, network)
        if onXDP {
            for interface in [network.clientInterface, network.peerInterface] {
                // Netlink cannot remove a program a link holds (EBUSY).
                #expect(throws: ShellError.self) {
                    try Shell.run(["ip", "-n", network.name, "link", "set", "dev", interface, "xdpdrv", "off"])
                }
                let link = try network.run { try XDPState.detachLink(on: interface) }
                #expect(linkIDs[interface] == "\(link.id)", "the attach log names the link")
            }
            let detached = "xdp program detached from outside turnpike; its traffic is relayed in userspace"
            let noticed = Date().addingTimeInterval(5)
            while server.logLines(detached).count < 2, Date() < noticed { usleep(50_000) }
            let lines = server.logLines(detached)
            #expect(Set(lines.compactMap { $0["interface"] }) == [network.clientInterface, network.peerInterface], "\(server.log)")
            #expect(Set(lines.compactMap { $0["link_id"] }) == Set(linkIDs.values))
        }
        for index in sessions.indices {
            try Self.exchange(&sessions[index], phase: 3, onXDP: false)
        }

        #expect(try Self.checksumErrors(network) == checksumErrorsBefore, "a receiver saw a bad checksum")

        // The admin API's view: each allocation's packets on the datapath that carried them
        // (the kernel's counters are read once a second), and the same totals per datapath.
        let admin = AdminCLI(socket: server.adminSocket)
        var listed: [TransportAddress: (xdp: TrafficCounters, userspace: TrafficCounters)] = [:]
        let settle = Date().addingTimeInterval(4)
        repeat {
            listed = try admin.trafficByRelayedAddress()
            if sessions.allSatisfy({ listed[$0.relayed]?.xdp == $0.expectedXDP }) { break }
            usleep(200_000)
        } while Date() < settle
        for session in sessions {
            let traffic = try #require(listed[session.relayed], "\(session.relayed) not listed: \(listed)")
            #expect(traffic.xdp == session.expectedXDP, "\(session.family) via XDP")
            #expect(traffic.userspace == session.expectedUserspace, "\(session.family) in userspace")
        }
        let totals = try admin.relayedByDatapath()
        #expect(totals["xdp"] ?? TrafficCounters() == sessions.map(\.expectedXDP).reduce(TrafficCounters(), +))
        #expect(totals["userspace"] == sessions.map(\.expectedUserspace).reduce(TrafficCounters(), +))

        // Deleted by an admin (IPv4) or by the client (IPv6): both routes leave the kernel, so a
        // channel's data goes nowhere afterwards (userspace has no allocation for it either).
        let ipv4Allocation = try #require(try admin.allocationID(relayed: sessions[0].relayed))
        try admin.delete(ipv4Allocation)
        try sessions[1].client.deallocate()
        for session in sessions {
            try session.client.sendChannelData(session.channel, PacketBuilder.data(64, seed: 9))
            #expect(session.peer.receive() == nil, "\(session.family): relayed after the allocation ended")
        }
        #expect(try admin.trafficByRelayedAddress().isEmpty)

        // The usage records: one `allocation deleted` line per allocation, with the same split
        // between the datapaths (the kernel's share read as its routes were removed).
        let logged = Date().addingTimeInterval(5)
        while server.logLines("allocation deleted").count < sessions.count, Date() < logged { usleep(50_000) }
        let records = server.logLines("allocation deleted")
        for session in sessions {
            let record = try #require(records.first { $0["relayed"] == session.relayed.description }, "\(server.log)")
            #expect(Self.usage(record, datapath: "xdp") == session.expectedXDP, "\(session.family) usage record via XDP")
            #expect(Self.usage(record, datapath: "userspace") == session.expectedUserspace, "\(session.family) usage record in userspace")
            #expect(record["reason"] == (session.family == .ipv4 ? "administrative" : "refreshed_to_zero"))
        }
    }

    /// The packets and bytes of one datapath in a usage record (-1 for a missing field).
    static func usage(_ record: [String: String], datapath: String) -> TrafficCounters {
        func value(_ key: String) -> Int { Int(record["\(datapath)_\(key)"] ?? "") ?? -1 }
        return TrafficCounters(
            toPeerPackets: value("packets_to_peer"), toPeerBytes: value("bytes_to_peer"),
            toClientPackets: value("packets_to_client"), toClientBytes: value("bytes_to_client"))
    }

    /// A plain UDP datagram from the client towards the peer, routed through the relay host (the
    /// client namespace gets a route via the relay for the peer's subnet), must not arrive:
    /// forwarding is off and the program only relays bound channels.
    static func expectNothingForwarded(_ network: TestNetwork) throws {
        let clientNamespace = try #require(network.clientNamespace)
        let peerNamespace = try #require(network.peerNamespace)
        for (sysctl, namespace) in TestNetwork.forwardingSysctls.map({ ($0, network.name) }) {
            #expect(try Shell.run(["ip", "netns", "exec", namespace, "sysctl", "-n", sysctl])
                .trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(sysctl)")
        }
        for (subnet, gateway) in [("198.18.2.0/24", Topology.serverV4), ("2001:db8:2::/64", Topology.serverV6)] {
            _ = try? Shell.run(["ip", "-n", clientNamespace, "route", "replace", subnet, "via", "\(gateway)"])
        }
        for (client, peer) in [(Topology.clientV4, Topology.peerV4), (Topology.clientV6, Topology.peerV6)] {
            // A port outside the relay range and the listening ports: plain traffic for the stack.
            let target = Topology.address(peer, Self.unrelayedPort)
            let receiver = try network.run(in: peerNamespace) { try UDPReceiver(boundTo: target) }
            try network.run(in: clientNamespace) {
                try Sockets.sendUDP(PacketBuilder.data(64), from: Topology.address(client, Self.unrelayedPort), to: target)
            }
            #expect(receiver.receive() == nil, "\(client) → \(target) was forwarded by the relay host")
        }
    }

    /// Neither a listening port nor in the relay range.
    static let unrelayedPort: UInt16 = 9999

    /// The `link_ids` field of the attach log line (`eth0=12,eth1=13`) by interface.
    static func linkIDs(_ field: String) -> [String: String] {
        var ids: [String: String] = [:]
        for entry in field.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { ids[String(parts[0])] = String(parts[1]) }
        }
        return ids
    }

    /// `count` datagrams each way through the session's channel, checked byte for byte, and
    /// what they add to the datapath that should carry them.
    static func exchange(_ session: inout Session, phase: Int, onXDP: Bool) throws {
        var traffic = TrafficCounters()
        for number in 0..<count {
            // Odd and even lengths, 1 to 1201 bytes (the peer link's MTU is 1400).
            let length = 1 + (number * 97 + phase * 13) % 1201
            let toPeer = PacketBuilder.data(length, seed: UInt8(truncatingIfNeeded: number &+ phase))
            try session.client.sendChannelData(session.channel, toPeer)
            let atPeer = try #require(session.peer.receive(), "phase \(phase) \(session.family): nothing reached the peer")
            #expect(atPeer.payload == toPeer)
            #expect(atPeer.source == session.relayed)

            let toClient = PacketBuilder.data(length, seed: UInt8(truncatingIfNeeded: 0x80 &+ number))
            try session.peer.send(toClient, to: session.relayed)
            let atClient = try #require(session.client.receiveChannelData(), "phase \(phase) \(session.family): nothing reached the client")
            #expect(atClient.channel == session.channel)
            #expect(atClient.payload == toClient)
            traffic.toPeerPackets += 1
            traffic.toPeerBytes += length
            traffic.toClientPackets += 1
            traffic.toClientBytes += length
        }
        if onXDP {
            session.expectedXDP = session.expectedXDP + traffic
        } else {
            session.expectedUserspace = session.expectedUserspace + traffic
        }
    }

    /// Offloading leaves a partial checksum in datagrams a local socket sends over veth; turned
    /// off, the sender's stack writes the full checksum (docs/xdp.md, "Checksums").
    static func setTransmitChecksumOffload(_ on: Bool, _ network: TestNetwork) throws {
        for (namespace, interface) in [(network.clientNamespace!, network.clientPeerInterface),
                                       (network.peerNamespace!, network.peerPeerInterface)] {
            try Shell.run(["ip", "netns", "exec", namespace, "ethtool", "-K", interface, "tx", on ? "on" : "off"])
        }
    }

    /// UDP checksum errors seen by the client's and the peer's stacks (IPv4 and IPv6).
    static func checksumErrors(_ network: TestNetwork) throws -> [Int] {
        try [network.clientNamespace!, network.peerNamespace!].map { namespace in
            let snmp = try Shell.run(["ip", "netns", "exec", namespace, "cat", "/proc/net/snmp", "/proc/net/snmp6"])
            return udpChecksumErrors(snmp)
        }
    }

    /// Sums `InCsumErrors` of the `Udp:` table and `Udp6InCsumErrors`.
    static func udpChecksumErrors(_ snmp: String) -> Int {
        var total = 0
        let lines = snmp.split(separator: "\n").map(String.init)
        for (index, line) in lines.enumerated() where line.hasPrefix("Udp: ") && index + 1 < lines.count {
            let names = line.split(separator: " "), values = lines[index + 1].split(separator: " ")
            if let column = names.firstIndex(of: "InCsumErrors"), column < values.count, names != values {
                total += Int(values[column]) ?? 0
            }
        }
        for line in lines where line.hasPrefix("Udp6InCsumErrors") {
            total += Int(line.split(separator: " ", omittingEmptySubsequences: true).last ?? "") ?? 0
        }
        return total
    }

    static func configuration(_ xdpMode: String, _ network: TestNetwork, adminSocket: String) -> String {
        """
        listen:
          udp: ["\(Topology.serverV4):\(Topology.listeningPort)", "[\(Topology.serverV6)]:\(Topology.listeningPort)"]
          tcp: []
          tls: []
        relay:
          ipv4: \(Topology.relayV4)
          ipv6: "\(Topology.relayV6)"
          port-min: \(Topology.relayPorts.lowerBound)
          port-max: \(Topology.relayPorts.upperBound)
        server:
          event-loops: 2
        auth:
          realm: e2e.test
          users:
            \(username):
              password: "\(password)"
        peers:
          allow: ["198.18.0.0/15", "2001:db8::/32"]
        drain:
          deadline: 1s
        admin:
          socket: "\(adminSocket)"
        \(xdpMode == "default" ? "" : "xdp:\n  mode: \(xdpMode)\n  interfaces: [\(network.clientInterface), \(network.peerInterface)]")
        http:
          address: "off"
        log:
          level: info
          format: json
        """
    }
}

extension ServeEndToEndTests.TrafficCounters {
    static func + (lhs: Self, rhs: Self) -> Self {
        Self(toPeerPackets: lhs.toPeerPackets + rhs.toPeerPackets, toPeerBytes: lhs.toPeerBytes + rhs.toPeerBytes,
             toClientPackets: lhs.toClientPackets + rhs.toClientPackets, toClientBytes: lhs.toClientBytes + rhs.toClientBytes)
    }
}

extension UDPReceiver {
    /// Sends from this socket's bound address.
    func send(_ payload: [UInt8], to destination: TransportAddress) throws {
        let sent = Sockets.withSocketAddress(destination) { address, length in
            payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, address, length) }
        }
        guard sent == payload.count else { throw ShellError(message: "sendto \(destination): errno \(errno)") }
    }
}
