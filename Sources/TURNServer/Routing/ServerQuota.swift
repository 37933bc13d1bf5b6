import NIOConcurrencyHelpers
import TURNCore

/// The quotas every worker's core shares, so that they hold server-wide (RFC 8656 §7.2: 486 for
/// a user's quota, 508 for the server's capacity) and the per-user byte budgets, whichever event
/// loops a user's clients reach. One lock around a dictionary, taken on Allocate and when an
/// allocation, pending Allocate or reserved port ends, never per packet: the byte budgets it
/// hands out are lock-free (`SharedTokenBucket`), and so are the per-username failure budgets it
/// keeps for the cores (`usernameFailures`).
///
/// Limits change on reload; units already taken stay, and a user's byte budget keeps its
/// settings until the user holds nothing (as the per-core budgets did).
final class ServerQuota: SharedQuota {
    private struct Holding {
        var units: Int
        var bandwidth: SharedTokenBucket?
    }

    private struct State {
        /// Zero means unlimited, as in the configuration.
        var perUser: Int
        var total: Int
        var held = 0
        var users: [String: Holding] = [:]
        var usernameFailures: UsernameFailureBudgets
    }

    private let state: NIOLockedValueBox<State>

    init(_ configuration: ServerConfiguration) {
        state = NIOLockedValueBox(State(
            perUser: configuration.quotas.allocationsPerUser, total: configuration.quotas.allocationsTotal,
            usernameFailures: Self.usernameFailures(configuration, previous: nil)))
    }

    /// The per-username failure budgets of the running configuration, for every core.
    var usernameFailures: UsernameFailureBudgets {
        state.withLockedValue { $0.usernameFailures }
    }

    /// The per-username failure budgets for `configuration`, keeping the bucket (and what it has
    /// spent) of every username it keeps. Not installed until `reconfigure`.
    func usernameFailures(for configuration: ServerConfiguration) -> UsernameFailureBudgets {
        Self.usernameFailures(configuration, previous: usernameFailures)
    }

    /// Switches to the limits of `configuration` and to `usernameFailures`.
    func reconfigure(_ configuration: ServerConfiguration, usernameFailures: UsernameFailureBudgets) {
        state.withLockedValue { state in
            state.perUser = configuration.quotas.allocationsPerUser
            state.total = configuration.quotas.allocationsTotal
            state.usernameFailures = usernameFailures
        }
    }

    func acquire(user: String, count: Int) -> QuotaRefusal? {
        state.withLockedValue { state in
            let held = state.users[user]?.units ?? 0
            if state.perUser != 0, held + count > state.perUser { return .userQuota }
            if state.total != 0, state.held + count > state.total { return .capacity }
            state.users[user, default: Holding(units: 0)].units = held + count
            state.held += count
            return nil
        }
    }

    func release(user: String, count: Int) {
        state.withLockedValue { state in
            guard let holding = state.users[user] else { return }
            let released = min(count, holding.units)
            state.held -= released
            if holding.units > released {
                state.users[user]?.units = holding.units - released
            } else {
                state.users[user] = nil
            }
        }
    }

    func bandwidth(user: String, limit: BandwidthLimit) -> SharedTokenBucket {
        state.withLockedValue { state in
            if let existing = state.users[user]?.bandwidth { return existing }
            let bucket = SharedTokenBucket(rate: limit.cellRate)
            state.users[user]?.bandwidth = bucket
            return bucket
        }
    }

    /// Units `user` holds on all cores.
    func count(for user: String) -> Int {
        state.withLockedValue { $0.users[user]?.units ?? 0 }
    }

    /// Units held on all cores.
    var total: Int {
        state.withLockedValue { $0.held }
    }

    private static func usernameFailures(_ configuration: ServerConfiguration, previous: UsernameFailureBudgets?) -> UsernameFailureBudgets {
        UsernameFailureBudgets(
            usernames: configuration.authentication.users.keys, burst: configuration.quotas.authFailureBurst,
            interval: configuration.quotas.authFailureInterval, previous: previous)
    }
}
