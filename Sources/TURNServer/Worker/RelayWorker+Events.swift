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
            records[id] = AllocationRecord(fiveTuple: fiveTuple, user: user, relayed: relayed)
            recordByTuple[fiveTuple] = id
            streams[fiveTuple]?.allocations += 1
            state.allocationCreated()
            logger.info("allocation created", metadata: Self.metadata(id, fiveTuple: fiveTuple, user: user, relayed: relayed))
        case .allocationDeleted(let id, let reason):
            guard let record = records.removeValue(forKey: id) else { return }
            recordByTuple[record.fiveTuple] = nil
            if let outlet = streams[record.fiveTuple] { outlet.allocations = max(0, outlet.allocations - 1) }
            state.allocationEnded()
            var metadata = Self.metadata(id, fiveTuple: record.fiveTuple, user: record.user, relayed: record.relayed)
            metadata["reason"] = .string(reason.rawValue)
            // The kernel's share was read when its routes were removed; it is not needed any more.
            xdp?.forgetAllocation(id, fiveTuple: record.fiveTuple)
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

    static func metadata(_ id: AllocationID, fiveTuple: FiveTuple, user: String, relayed: [TransportAddress]) -> Logger.Metadata {
        [
            "allocation": .string(id.description),
            "user": .string(user),
            "five_tuple": .string(fiveTuple.description),
            "relayed": .string(relayed.map(\.description).joined(separator: ",")),
        ]
    }
}
