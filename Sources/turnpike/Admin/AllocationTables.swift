import TURNServer

/// The tables `turnpike allocations` prints.
enum AllocationTables {
    static func list(_ allocations: [AdminAllocation]) -> String {
        guard !allocations.isEmpty else { return "no allocations" }
        var table = TextTable(headers: ["ID", "USER", "PROTO", "CLIENT", "RELAYED", "PEERS", "AGE", "LEFT", "TO PEER", "TO CLIENT", "RATE"])
        table.rightAligned = [6, 7, 8, 9, 10]
        for allocation in allocations {
            let peers = Set(allocation.permissions.map(\.peer)).count
            let traffic = allocation.traffic
            table.rows.append([
                allocation.id, allocation.user, allocation.transport, allocation.client,
                allocation.relayed.map(\.advertised).joined(separator: ","), String(peers),
                HumanUnits.duration(allocation.ageSeconds), HumanUnits.duration(allocation.lifetimeLeftSeconds),
                HumanUnits.bytes(traffic.userspace.bytesToPeer + traffic.xdp.bytesToPeer),
                HumanUnits.bytes(traffic.userspace.bytesToClient + traffic.xdp.bytesToClient),
                HumanUnits.rate(allocation.bytesPerSecond),
            ])
        }
        return table.render() + "\n\(allocations.count) allocation\(allocations.count == 1 ? "" : "s")"
    }

    static func detail(_ allocation: AdminAllocation) -> String {
        var lines = [
            "allocation     \(allocation.id)",
            "user           \(allocation.user) (username \(allocation.username))",
            "5-tuple        \(allocation.transport) \(allocation.client) -> \(allocation.server)",
        ]
        for relay in allocation.relayed {
            let advertised = relay.advertised == relay.local ? "" : " (local \(relay.local))"
            lines.append("relayed        \(relay.advertised)\(advertised), \(relay.family), \(HumanUnits.duration(relay.lifetimeLeftSeconds)) left")
        }
        lines.append("age            \(HumanUnits.duration(allocation.ageSeconds))")
        lines.append("lifetime left  \(HumanUnits.duration(allocation.lifetimeLeftSeconds))")
        lines.append("rate           \(HumanUnits.rate(allocation.bytesPerSecond))")
        lines.append("")
        if allocation.permissions.isEmpty {
            lines.append("permissions: none")
        } else {
            var table = TextTable(headers: ["PERMISSION", "EXPIRES IN"])
            table.rows = allocation.permissions.map { [$0.peer, HumanUnits.duration($0.expiresInSeconds)] }
            lines.append(table.render())
        }
        lines.append("")
        if allocation.channels.isEmpty {
            lines.append("channels: none")
        } else {
            var table = TextTable(headers: ["CHANNEL", "PEER", "STATE", "EXPIRES IN"])
            table.rows = allocation.channels.map { [$0.number, $0.peer, $0.bound ? "bound" : "cooling down", HumanUnits.duration($0.expiresInSeconds)] }
            lines.append(table.render())
        }
        lines.append("")
        var traffic = TextTable(headers: ["DATAPATH", "PACKETS TO PEER", "BYTES TO PEER", "PACKETS TO CLIENT", "BYTES TO CLIENT"])
        traffic.rightAligned = [1, 2, 3, 4]
        for (name, counts) in [("userspace", allocation.traffic.userspace), ("xdp", allocation.traffic.xdp)] {
            traffic.rows.append([
                name, String(counts.packetsToPeer), HumanUnits.bytes(counts.bytesToPeer),
                String(counts.packetsToClient), HumanUnits.bytes(counts.bytesToClient),
            ])
        }
        lines.append(traffic.render())
        return lines.joined(separator: "\n")
    }
}
