import Foundation
import NIOCore
import STUNWire
import Testing
import TURNCore
import TURNClient
@testable import TURNServer

/// A real server on loopback, driven by a TURN client over UDP, TCP and TLS (RFC 8656).
@Suite struct RelayTests {
    @Test(arguments: TURNClient.Transport.allCases)
    func allocatePermissionChannelAndDataBothWays(_ transport: TURNClient.Transport) async throws {
        let live = try await LiveServer.start(LiveServer.configuration(tls: try makeSelfSignedCertificate()))
        let client = try await live.client(transport)
        let peer = try await live.peer()
        do {
            let relayed = try await client.allocate()
            #expect(relayed.ip == .v4(IPv4Address(127, 0, 0, 1)))
            #expect(try await client.createPermission(peer.address).type.messageClass == .successResponse)
            #expect(try await client.channelBind(0x4000, to: peer.address).type.messageClass == .successResponse)

            // RFC 8656 §12.6: ChannelData to the peer, from the relayed transport address.
            try await client.sendChannelData(0x4000, "to the peer over \(transport)")
            let atPeer = try await peer.received.next()
            #expect(String(buffer: atPeer.payload) == "to the peer over \(transport)")
            #expect(atPeer.from == relayed)

            // RFC 8656 §12.7: the peer's answer comes back as ChannelData on the bound channel.
            try await peer.send("back to the client", to: relayed)
            let back = try await client.receiveData()
            #expect(back.channel == ChannelNumber(rawValue: 0x4000))
            #expect(back.payload == "back to the client")
            #expect(live.logs.all.contains { $0.contains("allocation created") && $0.contains(transport.rawValue + ":") })
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }

    @Test(arguments: [TURNClient.Transport.udp, .tcp])
    func sendAndDataIndications(_ transport: TURNClient.Transport) async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let client = try await live.client(transport)
        let peer = try await live.peer()
        do {
            let relayed = try await client.allocate()
            #expect(try await client.createPermission(peer.address).type.messageClass == .successResponse)
            // RFC 8656 §11.2: a Send indication is relayed as a UDP datagram.
            try await client.sendIndication("via send indication", to: peer.address)
            let atPeer = try await peer.received.next()
            #expect(String(buffer: atPeer.payload) == "via send indication")
            #expect(atPeer.from == relayed)
            // RFC 8656 §11.3-11.4: without a channel the answer is a Data indication naming the peer.
            try await peer.send("via data indication", to: relayed)
            let back = try await client.receiveData()
            #expect(back.peer == peer.address)
            #expect(back.channel == nil)
            #expect(back.payload == "via data indication")
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }

    /// A client reaching the server over IPv6 ([::1]) with an IPv4 relay. Relaying to IPv6 peers
    /// needs a second IPv6 address, which loopback lacks: tests/interop covers it in namespaces.
    @Test func ipv6ClientTransport() async throws {
        let live = try await LiveServer.start(LiveServer.configuration(ipv6: true))
        let client = try await live.client(.udp, ipv6: true)
        let peer = try await live.peer()
        do {
            let relayed = try await client.allocate()
            #expect(relayed.family == .ipv4)
            #expect(try await client.channelBind(0x4001, to: peer.address).type.messageClass == .successResponse)
            try await client.sendChannelData(0x4001, "six")
            let atPeer = try await peer.received.next()
            #expect(String(buffer: atPeer.payload) == "six")
            try await peer.send("six back", to: relayed)
            #expect(try await client.receiveData().payload == "six back")
            #expect(live.logs.all.contains { $0.contains("allocation created") && $0.contains("udp:[::1]:") })
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }

    @Test func sharedSecretCredentials() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let username = "\(UInt64(Date().timeIntervalSince1970) + 3600):carol"
        let mac = HMACSHA1.authenticate(key: Array(LiveServer.sharedSecret.utf8), message: Array(username.utf8))
        let password = Data(mac).base64EncodedString()
        let client = try await live.client(.udp, username: username, password: password)
        let peer = try await live.peer()
        do {
            let relayed = try await client.allocate()
            #expect(try await client.createPermission(peer.address).type.messageClass == .successResponse)
            try await peer.send("hello carol", to: relayed)
            #expect(try await client.receiveData().payload == "hello carol")
            #expect(live.logs.all.contains { $0.contains("allocation created") && $0.contains("carol") })
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }

    /// DESIGN.md: traffic between two allocations of this server is delivered internally, on
    /// one event loop or across two. Clients are steered to loops by their IP address
    /// (`ReusePortSharding`): 127.0.0.1 and 127.0.0.2 land on different loops of two.
    @Test(arguments: [("127.0.0.1", "127.0.0.1"), ("127.0.0.1", "127.0.0.2")])
    func allocationToAllocationIsDeliveredInternally(_ hosts: (String, String)) async throws {
        let configuration = LiveServer.configuration()
        let live = try await LiveServer.start(configuration)
        let first = try await live.client(.udp, localHost: hosts.0)
        let second = try await live.client(.udp, localHost: hosts.1)
        do {
            let a = try await first.allocate()
            let b = try await second.allocate()
            let loop = { (address: TransportAddress) in ServerConfiguration.worker(owning: address.port, in: configuration.relay.ports, workers: 2) }
            let expectedLoop = { (host: String) in ReusePortSharding.socketIndex(for: IPAddress(host)!, sockets: 2) }
            #expect(loop(a) == expectedLoop(hosts.0))
            #expect(loop(b) == expectedLoop(hosts.1))
            #expect((loop(a) == loop(b)) == (hosts.0 == hosts.1))

            #expect(try await first.createPermission(b).type.messageClass == .successResponse)
            #expect(try await second.channelBind(0x4100, to: a).type.messageClass == .successResponse)
            try await first.sendIndication("across the relay", to: b)
            let atSecond = try await second.receiveData()
            #expect(atSecond.payload == "across the relay")
            #expect(atSecond.channel == ChannelNumber(rawValue: 0x4100))
            try await second.sendChannelData(0x4100, "and back")
            let atFirst = try await first.receiveData()
            #expect(atFirst.payload == "and back")
            #expect(atFirst.peer == b)
        } catch {
            Issue.record(error)
        }
        await first.close()
        await second.close()
        await live.stop()
    }
}
