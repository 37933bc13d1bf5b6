import NIOCore
import STUNWire

/// NIO addresses for the peers and clients a worker sends to, so that sending a relayed packet
/// builds no `SocketAddress` (NIO boxes each one: a heap allocation). Bounded: when full it is
/// emptied and refills with the addresses still in use.
struct SocketAddressCache {
    private var entries: [TransportAddress: SocketAddress] = [:]
    let capacity: Int

    static let defaultCapacity = 65_536

    init(capacity: Int = SocketAddressCache.defaultCapacity) {
        self.capacity = capacity
        entries.reserveCapacity(min(capacity, 1024))
    }

    var count: Int { entries.count }

    mutating func socketAddress(for address: TransportAddress) -> SocketAddress {
        if let cached = entries[address] { return cached }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        let made = address.socketAddress
        entries[address] = made
        return made
    }
}
