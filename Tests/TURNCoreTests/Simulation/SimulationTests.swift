import Foundation
import Testing
@testable import TURNCore

/// Whole runs of many clients and peers through one core over a seeded, lossy, reordering
/// network with NAT rebinding (DESIGN.md tier "simulated network"). Set TURNPIKE_SIM_SEED to
/// replay one seed; every failure names its seed.
@Suite struct SimulationTests {
    static var seeds: [UInt64] {
        if let text = ProcessInfo.processInfo.environment["TURNPIKE_SIM_SEED"], let seed = UInt64(text) { return [seed] }
        return [1, 2, 3, 0xDEAD_BEEF]
    }

    @Test(arguments: seeds)
    func cleanNetworkDeliversEverythingExactlyOnce(_ seed: UInt64) {
        var world = World(seed: seed, scenario: World.Scenario(clients: 10, jitter: .milliseconds(30)))
        world.run()
        let comment = Comment(rawValue: "seed \(seed) (TURNPIKE_SIM_SEED=\(seed) to replay)")
        Self.checkSafety(world, comment)
        #expect(!world.sent.isEmpty, comment)
        let undelivered = world.sent.keys.filter { world.delivered[$0] == nil }
        let unechoed = world.sent.keys.filter { world.echoed[$0] == nil }
        #expect(undelivered.isEmpty, "\(comment): \(undelivered.count) of \(world.sent.count) never reached their peer")
        #expect(unechoed.isEmpty, "\(comment): \(unechoed.count) of \(world.sent.count) never came back")
        let stuck = world.clients.filter { $0.phase != .done }.map { "\($0.index): \($0.phase)" }
        #expect(stuck.isEmpty, "\(comment): clients not done: \(stuck)")
    }

    @Test(arguments: seeds)
    func lossReorderingAndRebindingNeverDuplicateOrLeak(_ seed: UInt64) {
        var world = World(seed: seed, scenario: World.Scenario(
            clients: 16, lossRate: 0.05, jitter: .milliseconds(80), rebindingRate: 0.3, portFailureRate: 0.1))
        world.run()
        let comment = Comment(rawValue: "seed \(seed) (TURNPIKE_SIM_SEED=\(seed) to replay)")
        Self.checkSafety(world, comment)
        // Loss is allowed; most traffic still arrives.
        #expect(world.delivered.count * 10 >= world.sent.count * 7, comment)
        #expect(world.network.lost > 0, comment)
        #expect(world.clients.contains { $0.generation > 0 }, "\(comment): no client was rebound")
        #expect(world.sent.count > 1_000, comment)
    }

    /// What must hold in every run: nothing duplicated, nothing invented, nothing to a refused
    /// address, and once everything expired no state, port or route is left.
    static func checkSafety(_ world: World, _ comment: Comment) {
        #expect(world.violations.isEmpty, "\(comment): \(world.violations.prefix(5))")
        let duplicated = world.delivered.values.filter { $0 != 1 }.count + world.echoed.values.filter { $0 != 1 }.count
        #expect(duplicated == 0, "\(comment): \(duplicated) datagrams arrived more than once")
        let invented = world.delivered.keys.filter { world.sent[$0] == nil }.count
            + world.echoed.keys.filter { world.delivered[$0] == nil }.count
        #expect(invented == 0, "\(comment): \(invented) datagrams arrived that were never sent")
        let core = world.core
        #expect(core.allocationCount == 0, comment)
        #expect(core.allocationByTuple.isEmpty && core.allocationByRelay.isEmpty && core.pending.isEmpty, comment)
        #expect(core.portsInUse.isEmpty && core.reservations.isEmpty && core.users.isEmpty, comment)
        #expect(core.allocationBandwidth.isEmpty, comment)
        #expect(core.timers.count == 0 && core.responseCache.count == 0 && core.nextDeadline == nil, comment)
        #expect(world.openPorts.isEmpty, "\(comment): \(world.openPorts.count) relay ports left open")
        #expect(world.routes.isEmpty, "\(comment): \(world.routes.count) channel routes left installed")
    }
}
