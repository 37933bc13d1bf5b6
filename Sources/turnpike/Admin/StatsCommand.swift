import ArgumentParser
import Foundation
import TURNServer

/// `turnpike stats`: server-wide numbers.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show the running server's counters (admin API).")

    @OptionGroup var admin: AdminOptions

    func run() throws {
        try CLIOutput.run {
            let (stats, raw) = try admin.client().json(AdminStats.self, "GET", "/v1/stats")
            if admin.json {
                CLIOutput.json(raw)
                return
            }
            var lines = [
                "state          \(stats.draining ? "draining" : (stats.ready ? "ready" : "not ready")), \(stats.eventLoops) event loops, up \(HumanUnits.duration(stats.uptimeSeconds))",
                "allocations    \(stats.allocations)\(stats.allocationsByKind.isEmpty ? "" : " (" + stats.allocationsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")",
                "permissions    \(stats.permissions)",
                "channels       \(stats.channels)",
                "connections    \(stats.streamConnections) TCP/TLS",
                "created        \(stats.allocationsCreated)",
                "deleted        \(stats.allocationsDeleted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
                "listeners      \(["udp", "tcp", "tls"].compactMap { key in stats.listeners[key].flatMap { $0.isEmpty ? nil : "\(key) \($0.joined(separator: ","))" } }.joined(separator: "; "))",
            ]
            if !stats.listenersDown.isEmpty {
                lines.append("listeners down \(stats.listenersDown.joined(separator: ", ")) (being bound again)")
            }
            lines.append("")
            var traffic = TextTable(headers: ["DATAPATH", "PACKETS TO PEER", "BYTES TO PEER", "PACKETS TO CLIENT", "BYTES TO CLIENT"])
            traffic.rightAligned = [1, 2, 3, 4]
            for (name, counts) in stats.relayed.sorted(by: { $0.key > $1.key }) {
                traffic.rows.append([
                    name, String(counts.packetsToPeer), HumanUnits.bytes(counts.bytesToPeer),
                    String(counts.packetsToClient), HumanUnits.bytes(counts.bytesToClient),
                ])
            }
            lines.append(traffic.render())
            lines.append("")
            if !stats.xdpInterfaces.isEmpty {
                var interfaces = TextTable(headers: ["XDP INTERFACE", "KERNEL RELAYS", "REASON", "DETAIL"])
                for entry in stats.xdpInterfaces {
                    interfaces.rows.append([entry.interface, entry.ready ? "yes" : "no", entry.reason.rawValue, entry.detail])
                }
                lines.append(interfaces.render())
                lines.append("")
            }
            var requests = TextTable(headers: ["REQUEST", "RESULT", "COUNT"])
            requests.rightAligned = [2]
            for (key, count) in stats.requests.sorted(by: { $0.key < $1.key }) {
                let parts = key.split(separator: " ")
                requests.rows.append([String(parts.first ?? ""), String(parts.last ?? ""), String(count)])
            }
            lines.append(requests.rows.isEmpty ? "requests: none" : requests.render())
            if !stats.authenticationFailures.isEmpty {
                lines.append("")
                lines.append("auth failures  " + stats.authenticationFailures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            let streams = stats.streams
            lines.append("")
            lines.append("streams        queued \(HumanUnits.bytes(UInt64(streams.queuedBytes))) (peak \(HumanUnits.bytes(UInt64(streams.peakQueuedBytes)))), partial frames \(HumanUnits.bytes(UInt64(streams.partialFrameBytes))), dropped \(streams.droppedPackets)"
                + (streams.closed.isEmpty ? "" : ", closed " + streams.closed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
            if !stats.dropped.isEmpty {
                lines.append("dropped        " + stats.dropped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            CLIOutput.line(lines.joined(separator: "\n"))
        }
    }
}
