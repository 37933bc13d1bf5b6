import NIOCore
import STUNWire
@testable import TURNCore

/// Addresses, credentials and configuration shared by the core tests.
enum Fixture {
    static let realm = "turnpike.test"
    static let username = "alice"
    static let password = "correct horse"
    static let otherUsername = "bob"
    static let otherPassword = "battery staple"
    static let sharedSecret = Array("fleet secret".utf8)
    static let nonceKey = [UInt8](repeating: 7, count: 32)

    static let serverV4 = TransportAddress("10.0.0.1:3478")!
    static let serverV6 = TransportAddress("[fd00::1]:3478")!
    static let relayLocalV4 = IPAddress("10.0.0.5")!
    static let relayPublicV4 = IPAddress("44.0.0.5")!
    static let relayLocalV6 = IPAddress("fd00::5")!
    static let relayPublicV6 = IPAddress("2a00:1::5")!

    static let clientA = TransportAddress("81.2.3.4:40000")!
    static let clientB = TransportAddress("81.2.3.5:40001")!
    static let clientV6 = TransportAddress("[2a01:4f8::10]:40002")!
    static let peer1 = TransportAddress("93.184.216.34:5000")!
    static let peer2 = TransportAddress("93.184.216.35:6000")!
    static let peerV6 = TransportAddress("[2a02:2e0::34]:7000")!

    static let start = Now(monotonic: .seconds(1_000), unixSeconds: 1_800_000_000)

    static func udp(_ client: TransportAddress = clientA) -> FiveTuple {
        FiveTuple(client: client, server: client.family == .ipv4 ? serverV4 : serverV6, transport: .udp)
    }

    static func tcp(_ client: TransportAddress = clientA) -> FiveTuple {
        FiveTuple(client: client, server: client.family == .ipv4 ? serverV4 : serverV6, transport: .tcp)
    }

    static func credentials() -> CredentialStore {
        try! CredentialStore(
            realm: realm,
            users: [username: .password(password), otherUsername: .password(otherPassword)],
            sharedSecrets: [sharedSecret])
    }

    static func configuration(
        ipv6: Bool = true, portRange: ClosedRange<UInt16> = 50_000...50_999,
        adjust: (inout RelayConfiguration) -> Void = { _ in }
    ) -> RelayConfiguration {
        var addresses: [AddressFamily: RelayAddress] = [.ipv4: RelayAddress(local: relayLocalV4, advertised: relayPublicV4)]
        if ipv6 { addresses[.ipv6] = RelayAddress(local: relayLocalV6, advertised: relayPublicV6) }
        var configuration = RelayConfiguration(
            relayAddresses: addresses, portRange: portRange, credentials: credentials(),
            nonceIssuer: NonceIssuer(key: nonceKey),
            peerPolicy: PeerPolicy(
                ownRelayAddresses: [relayLocalV4, relayPublicV4, relayLocalV6, relayPublicV6], relayPorts: portRange,
                serverEndpoints: [serverV4, serverV6]))
        adjust(&configuration)
        return configuration
    }
}
