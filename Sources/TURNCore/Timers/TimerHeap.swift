/// A binary min-heap of deadlines (DESIGN.md: no scan of all allocations per event). Each live
/// object keeps at most one entry whose deadline is at or before its expiry; an entry that
/// fires early re-arms at the object's current expiry, so refreshes cost nothing here.
struct TimerHeap: Sendable {
    struct Entry: Sendable {
        var deadline: Instant
        var kind: TimerKind
    }

    private var entries: [Entry] = []
    /// Entries left by the last `compact`: the heap may grow to twice this (plus a floor)
    /// before the next one, so compaction costs amortised O(1) per entry.
    private var liveAfterCompaction = 0
    static let compactionFloor = 1024

    var count: Int { entries.count }
    var nextDeadline: Instant? { entries.first?.deadline }

    mutating func schedule(_ kind: TimerKind, at deadline: Instant) {
        entries.append(Entry(deadline: deadline, kind: kind))
        siftUp(entries.count - 1)
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(now: Instant) -> Entry? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return first
    }

    /// Whether dead entries may by now outnumber live ones enough to be worth a `compact`.
    var wantsCompaction: Bool { entries.count > 2 * liveAfterCompaction + Self.compactionFloor }

    /// Drops the entries whose object is gone and rebuilds the heap, O(n). Lazy invalidation
    /// alone keeps an entry of a deleted object until its deadline (up to the maximum
    /// allocation lifetime), so a client that creates and deletes allocations quickly would
    /// grow the heap without bound; this is its bound.
    mutating func compact(keeping isLive: (TimerKind) -> Bool) {
        entries.removeAll { !isLive($0.kind) }
        var index = entries.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
        liveAfterCompaction = entries.count
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count, entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
