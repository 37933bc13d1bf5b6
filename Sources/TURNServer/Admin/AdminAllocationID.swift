import TURNCore

/// "<event loop>-<core allocation number>": a core's `AllocationID` is unique only in its core.
struct AdminAllocationID: Hashable, Sendable, CustomStringConvertible {
    var loop: Int
    var allocation: AllocationID

    init(loop: Int, allocation: AllocationID) {
        self.loop = loop
        self.allocation = allocation
    }

    init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let loop = Int(parts[0]), let number = UInt64(parts[1]) else { return nil }
        self.init(loop: loop, allocation: AllocationID(rawValue: number))
    }

    var description: String { "\(loop)-\(allocation.rawValue)" }
}
