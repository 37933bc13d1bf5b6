import NIOConcurrencyHelpers
import TURNCore

/// The per-user allocation quota shared by every worker's core (RFC 8656 §7.2: 486). One lock
/// around a dictionary, taken only on Allocate and on an allocation's end, never per packet.
/// The limit can change on reload; counts already taken stay.
final class UserAllocationCounter: SharedAllocationQuota {
    private struct State {
        var limit: Int
        var counts: [String: Int] = [:]
    }

    private let state: NIOLockedValueBox<State>

    /// `limit` zero means unlimited.
    init(limit: Int) {
        state = NIOLockedValueBox(State(limit: limit))
    }

    func setLimit(_ limit: Int) {
        state.withLockedValue { $0.limit = limit }
    }

    func acquire(user: String) -> Bool {
        state.withLockedValue { state in
            let held = state.counts[user, default: 0]
            guard state.limit == 0 || held < state.limit else { return false }
            state.counts[user] = held + 1
            return true
        }
    }

    func release(user: String) {
        state.withLockedValue { state in
            let held = state.counts[user, default: 0]
            state.counts[user] = held > 1 ? held - 1 : nil
        }
    }

    func count(for user: String) -> Int {
        state.withLockedValue { $0.counts[user, default: 0] }
    }
}
