import STUNWire
import TURNCore

extension AllocationSnapshot {
    func admin(loop: Int, xdp: TrafficCounters = TrafficCounters()) -> AdminAllocation {
        AdminAllocation(
            id: AdminAllocationID(loop: loop, allocation: id).description,
            user: user, username: username, transport: fiveTuple.transport.rawValue,
            client: fiveTuple.client.description, server: fiveTuple.server.description, family: familyLabel,
            relayed: relays.map {
                AdminAllocation.Relay(
                    local: $0.address.local.description, advertised: $0.address.advertised.description,
                    family: $0.address.family == .ipv6 ? "ipv6" : "ipv4", lifetimeLeftSeconds: $0.lifetimeLeft.seconds)
            },
            ageSeconds: age.seconds, lifetimeLeftSeconds: lifetimeLeft.seconds,
            permissions: permissions.map { AdminAllocation.Permission(peer: $0.peer.description, expiresInSeconds: $0.expiresIn.seconds) },
            channels: channels.map {
                AdminAllocation.Channel(
                    number: "0x" + String($0.number.rawValue, radix: 16, uppercase: true), peer: $0.peer.description,
                    bound: $0.bound, expiresInSeconds: $0.expiresIn.seconds)
            },
            traffic: AdminAllocation.Traffic(userspace: AdminTrafficCounts(traffic), xdp: AdminTrafficCounts(xdp)),
            bytesPerSecond: bytesPerSecond)
    }
}

extension AdminTrafficCounts {
    init(_ counters: TrafficCounters) {
        self.init(
            packetsToPeer: counters.packetsToPeer, bytesToPeer: counters.bytesToPeer,
            packetsToClient: counters.packetsToClient, bytesToClient: counters.bytesToClient)
    }
}
