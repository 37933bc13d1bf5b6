import NIOCore
import STUNWire
import TURNCore

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

    /// Drops `address` (a client whose allocation ended), so churn leaves no entries behind.
    ///
    /// Takes the five-tuple, not its `TransportAddress`: Swift 6.2's unoptimised code spilled a
    /// `TransportAddress` parameter (16-byte aligned: it holds a UInt128) with `movaps` to an
    /// 8-byte aligned slot, a general-protection fault in debug builds.
    mutating func forget(clientOf fiveTuple: FiveTuple) {
        entries.removeValue(forKey: fiveTuple.client)
    }

    mutating func socketAddress(for address: TransportAddress) -> SocketAddress {
        if let cached = entries[address] { return cached }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        let made = address.socketAddress
        entries[address] = made
        return made
    }
}
