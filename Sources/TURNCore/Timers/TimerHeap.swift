/// A binary min-heap of deadlines (DESIGN.md: no scan of all allocations per event). Each live
/// object keeps at most one entry whose deadline is at or before its expiry; an entry that
/// fires early re-arms at the object's current expiry, so refreshes cost nothing here.
struct TimerHeap: Sendable {
    struct Entry: Sendable {
        var deadline: Instant
        var kind: TimerKind
    }

    private var entries: [Entry] = []

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
