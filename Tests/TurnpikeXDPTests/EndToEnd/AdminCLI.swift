import Foundation
import STUNWire

/// The `turnpike` admin CLI with `--json`, pointed at a server's admin socket: what an operator
/// sees of allocations and per-datapath traffic.
struct AdminCLI {
    let socket: String

    func json(_ arguments: [String]) throws -> [String: Any] {
        let output = try Shell.run([ServeProcess.binary.path] + arguments + ["--socket", socket, "--json"])
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw ShellError(message: "not a JSON object: \(output)")
        }
        return object
    }

    /// Each live allocation's traffic per datapath, by its (advertised) relayed address.
    func trafficByRelayedAddress() throws -> [TransportAddress: (xdp: ServeEndToEndTests.TrafficCounters, userspace: ServeEndToEndTests.TrafficCounters)] {
        var result: [TransportAddress: (xdp: ServeEndToEndTests.TrafficCounters, userspace: ServeEndToEndTests.TrafficCounters)] = [:]
        for allocation in try json(["allocations", "list"])["allocations"] as? [[String: Any]] ?? [] {
            let traffic = allocation["traffic"] as? [String: Any] ?? [:]
            let counts = (Self.counters(traffic["xdp"]), Self.counters(traffic["userspace"]))
            for relay in allocation["relayed"] as? [[String: Any]] ?? [] {
                if let text = relay["advertised"] as? String, let address = TransportAddress(text) { result[address] = counts }
            }
        }
        return result
    }

    func allocationID(relayed: TransportAddress) throws -> String? {
        for allocation in try json(["allocations", "list"])["allocations"] as? [[String: Any]] ?? [] {
            let relays = allocation["relayed"] as? [[String: Any]] ?? []
            if relays.contains(where: { ($0["advertised"] as? String) == relayed.description }) { return allocation["id"] as? String }
        }
        return nil
    }

    func delete(_ id: String) throws {
        _ = try json(["allocations", "delete", id])
    }

    /// `turnpike stats`: relayed traffic per datapath.
    func relayedByDatapath() throws -> [String: ServeEndToEndTests.TrafficCounters] {
        let relayed = try json(["stats"])["relayed"] as? [String: Any] ?? [:]
        return relayed.mapValues(Self.counters)
    }

    /// `turnpike stats`: each XDP interface's readiness reason, by interface.
    func xdpInterfaceReasons() throws -> [String: String] {
        var reasons: [String: String] = [:]
        for entry in try json(["stats"])["xdpInterfaces"] as? [[String: Any]] ?? [] {
            if let interface = entry["interface"] as? String, let reason = entry["reason"] as? String { reasons[interface] = reason }
        }
        return reasons
    }

    static func counters(_ value: Any?) -> ServeEndToEndTests.TrafficCounters {
        let object = value as? [String: Any] ?? [:]
        func number(_ key: String) -> Int { (object[key] as? NSNumber)?.intValue ?? -1 }
        return ServeEndToEndTests.TrafficCounters(
            toPeerPackets: number("packetsToPeer"), toPeerBytes: number("bytesToPeer"),
            toClientPackets: number("packetsToClient"), toClientBytes: number("bytesToClient"))
    }
}
