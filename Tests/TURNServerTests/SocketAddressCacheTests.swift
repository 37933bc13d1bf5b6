import NIOCore
import STUNWire
import Testing
import TURNCore
@testable import TURNServer

@Suite struct SocketAddressCacheTests {
    @Test func forgetRemovesOnlyThatAddress() {
        var cache = SocketAddressCache(capacity: 8)
        let a = TransportAddress("198.18.0.2:40000")!
        let b = TransportAddress("[2001:db8::2]:40001")!
        _ = cache.socketAddress(for: a)
        _ = cache.socketAddress(for: b)
        #expect(cache.count == 2)
        cache.forget(clientOf: FiveTuple(client: a, server: TransportAddress("198.18.0.1:3478")!, transport: .udp))
        cache.forget(clientOf: FiveTuple(client: TransportAddress("198.18.0.9:1")!, server: TransportAddress("198.18.0.1:3478")!, transport: .udp))
        #expect(cache.count == 1)
        #expect(cache.socketAddress(for: b) == b.socketAddress)
    }

    @Test func fullCacheStartsOver() {
        var cache = SocketAddressCache(capacity: 4)
        for port in 1...9 { _ = cache.socketAddress(for: TransportAddress(ip: IPAddress("198.18.0.2")!, port: UInt16(port))) }
        #expect(cache.count <= 4)
    }
}
