import Synchronization

/// The bound on open TCP plus TLS client connections across all workers: an accept beyond it is
/// closed at once, so half-open or idle connections cannot exhaust file descriptors.
final class ConnectionBudget: Sendable {
    private let open = Atomic<Int>(0)
    private let limit: Atomic<Int>

    /// `limit` zero means no bound.
    init(limit: Int) {
        self.limit = Atomic(limit)
    }

    func setLimit(_ limit: Int) {
        self.limit.store(limit, ordering: .relaxed)
    }

    /// Takes a slot, or returns false when all are in use.
    func take() -> Bool {
        let now = open.add(1, ordering: .relaxed).newValue
        let limit = self.limit.load(ordering: .relaxed)
        guard limit == 0 || now <= limit else {
            open.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func give() {
        open.subtract(1, ordering: .relaxed)
    }

    var count: Int { open.load(ordering: .relaxed) }
}
