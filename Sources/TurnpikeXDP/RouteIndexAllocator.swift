/// Hands out route indexes (slots of turnpike_route_counters) from 0 up to a capacity, reusing
/// released ones first, so indexes stay dense and never exceed the map.
struct RouteIndexAllocator: Sendable {
    let capacity: UInt32
    private var next: UInt32 = 0
    private var released: [UInt32] = []

    init(capacity: UInt32) { self.capacity = capacity }

    /// A free index, or nil when all `capacity` are in use.
    mutating func allocate() -> UInt32? {
        if let index = released.popLast() { return index }
        guard next < capacity else { return nil }
        defer { next += 1 }
        return next
    }

    /// Returns an index for reuse; it must have come from `allocate()` and not been released since.
    mutating func release(_ index: UInt32) {
        precondition(index < next, "route index \(index) was never allocated")
        assert(!released.contains(index), "route index \(index) released twice")
        released.append(index)
    }

    /// How many indexes are in use.
    var inUse: Int { Int(next) - released.count }
}
