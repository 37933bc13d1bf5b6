import Logging
import STUNWire
import TURNCore

extension RelayWorker {
    /// One log line per allocation event (created, refreshed, deleted with its reason), with the
    /// user, 5-tuple and relayed addresses; request and authentication outcomes only at debug.
    func record(_ event: RelayEvent) {
        observe(event)
        switch event {
        case .allocationCreated(let id, let fiveTuple, let user, let relayed):
            let now = ServerClock.now()
            records[id] = AllocationRecord(
                fiveTuple: fiveTuple, user: user, relayed: relayed, startedUnixSeconds: now.unixSeconds, started: now.monotonic)
            recordByTuple[fiveTuple] = id
            streams[fiveTuple]?.allocations += 1
            state.allocationCreated()
            logger.info("allocation created", metadata: Self.metadata(id, fiveTuple: fiveTuple, user: user, relayed: relayed))
        case .allocationDeleted(let id, let reason, let usage):
            guard let record = records.removeValue(forKey: id) else { return }
            recordByTuple[record.fiveTuple] = nil
            if let outlet = streams[record.fiveTuple] { outlet.allocations = max(0, outlet.allocations - 1) }
            state.allocationEnded()
            var metadata = Self.metadata(id, fiveTuple: record.fiveTuple, user: record.user, relayed: record.relayed)
            metadata["reason"] = .string(reason.rawValue)
            // The kernel's share was read when its routes were removed (before the core reported
            // the deletion); it goes into the usage record, then is forgotten.
            let kernel = xdp?.allocationTraffic(id, fiveTuple: record.fiveTuple) ?? TrafficCounters()
            xdp?.forgetAllocation(id, fiveTuple: record.fiveTuple)
            metadata.merge(Self.usageRecord(record, userspace: usage, kernel: kernel, now: ServerClock.now())) { $1 }
            logger.info("allocation deleted", metadata: metadata)
        case .requestAnswered(let method, let errorCode):
            // RFC 8656 §8: a successful Refresh extends the allocation on this 5-tuple.
            if method == .refresh, errorCode == nil, let fiveTuple = currentInput, let id = recordByTuple[fiveTuple],
               let record = records[id] {
                logger.info("allocation refreshed", metadata: Self.metadata(id, fiveTuple: fiveTuple, user: record.user, relayed: record.relayed))
            } else {
                logger.debug("request answered", metadata: [
                    "method": .string(method.description), "error": .string(errorCode.map(String.init) ?? "none"),
                ])
            }
        case .authenticationFailed(let reason):
            logger.debug("authentication failed", metadata: [
                "reason": .string(reason.rawValue), "five_tuple": .string(currentInput?.description ?? "-"),
            ])
        case .peersRevoked(let id, let permissions, let channels):
            guard let record = records[id] else { return }
            var metadata = Self.metadata(id, fiveTuple: record.fiveTuple, user: record.user, relayed: record.relayed)
            metadata["permissions"] = .string("\(permissions)")
            metadata["channels"] = .string("\(channels)")
            logger.info("peers revoked by the reloaded peer policy", metadata: metadata)
        }
    }

    /// The usage record of an ended allocation, complete enough to bill from: start and end
    /// (UTC, and the duration from the monotonic clock), the client transport, and packets and
    /// bytes each way per datapath (`userspace`, `xdp`). Bytes are relayed application data.
    static func usageRecord(_ record: AllocationRecord, userspace: TrafficCounters, kernel: TrafficCounters, now: Now) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "transport": .string(record.fiveTuple.transport.rawValue),
            "started": .string(UTCTimestamp.format(unixSeconds: record.startedUnixSeconds)),
            "ended": .string(UTCTimestamp.format(unixSeconds: now.unixSeconds)),
            "duration_s": .string(String(format: "%.3f", Double(now.monotonic.since(record.started).nanosecondsClamped) / 1e9)),
        ]
        for (datapath, counters) in [("userspace", userspace), ("xdp", kernel)] {
            for direction in TrafficDirection.allCases {
                metadata["\(datapath)_packets_\(direction.rawValue)"] = .string(String(counters.packets(direction)))
                metadata["\(datapath)_bytes_\(direction.rawValue)"] = .string(String(counters.bytes(direction)))
            }
        }
        return metadata
    }

    static func metadata(_ id: AllocationID, fiveTuple: FiveTuple, user: String, relayed: [TransportAddress]) -> Logger.Metadata {
        [
            "allocation": .string(id.description),
            "user": .string(user),
            "five_tuple": .string(fiveTuple.description),
            "relayed": .string(relayed.map(\.description).joined(separator: ",")),
        ]
    }
}
