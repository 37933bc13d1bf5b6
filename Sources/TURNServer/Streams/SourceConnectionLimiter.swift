import NIOConcurrencyHelpers
import STUNWire

/// `streams.max-connections-per-source`: open TCP plus TLS client connections per source
/// (`ConnectionSource`: an IPv4 address or an IPv6 /64), shared by every worker, since the
/// kernel spreads one source's connections over all the loops. One lock around a dictionary,
/// taken at accept and at close only. The table holds one entry per source with a connection
/// open, so it is bounded by `streams.max-connections`. The limit can change on reload;
/// connections already open stay.
final class SourceConnectionLimiter: Sendable {
    private struct State {
        var limit: Int
        var counts: [ConnectionSource: Int] = [:]
    }

    private let state: NIOLockedValueBox<State>

    /// `limit` zero means unlimited (the connections are still counted).
    init(limit: Int) {
        state = NIOLockedValueBox(State(limit: limit))
    }

    func setLimit(_ limit: Int) {
        state.withLockedValue { $0.limit = limit }
    }

    /// Takes a slot for `source`, or returns false when it holds `limit` already.
    func take(_ source: ConnectionSource) -> Bool {
        state.withLockedValue { state in
            let held = state.counts[source, default: 0]
            guard state.limit == 0 || held < state.limit else { return false }
            state.counts[source] = held + 1
            return true
        }
    }

    func give(_ source: ConnectionSource) {
        state.withLockedValue { state in
            let held = state.counts[source, default: 0]
            state.counts[source] = held > 1 ? held - 1 : nil
        }
    }

    func count(for source: ConnectionSource) -> Int {
        state.withLockedValue { $0.counts[source, default: 0] }
    }

    /// Sources with at least one connection open.
    var sources: Int {
        state.withLockedValue { $0.counts.count }
    }
}
