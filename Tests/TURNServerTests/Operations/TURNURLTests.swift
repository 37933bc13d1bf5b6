import Testing
import TURNClient

/// RFC 7065 TURN URIs as `turnpike probe` and `bench` take them.
@Suite struct TURNURLTests {
    @Test func parsesSchemesPortsAndTransports() throws {
        let udp = try #require(TURNURL("turn:127.0.0.1:3478?transport=udp"))
        #expect(udp.transport == .udp)
        #expect(udp.port == 3478)
        #expect(try #require(TURNURL("turn:example.org?transport=tcp")).transport == .tcp)
        #expect(try #require(TURNURL("turn:example.org")).port == 3478)
        let tls = try #require(TURNURL("turns:[::1]"))
        #expect(tls.transport == .tls)
        #expect(tls.port == 5349)
        #expect(tls.host == "::1")
        #expect(tls.description == "turns:[::1]:5349")
    }

    @Test(arguments: ["stun:host", "turn:", "turn:host:0", "turn:host:99999", "turns:host?transport=udp", "turn:host?transport=sctp", "turn:[::1"])
    func rejectsOthers(_ text: String) {
        #expect(TURNURL(text) == nil)
    }
}
