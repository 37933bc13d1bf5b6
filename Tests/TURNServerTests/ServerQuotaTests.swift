import STUNWire
import Testing
import TURNCore
@testable import TURNServer

/// The quotas every worker's core shares (RFC 8656 §7.2), and how a server configuration hands
/// them to each core.
@Suite struct ServerQuotaTests {
    static func configuration(_ yaml: String = "") throws -> ServerConfiguration {
        let loaded = try #require(try load(yaml: ValidationTests.merge(minimalYAML, yaml)).value)
        return loaded.configuration
    }

    @Test func perUserAndTotalLimitsHoldAndUnitsComeBack() throws {
        let quota = ServerQuota(try Self.configuration("quotas:\n  allocations-per-user: 2\n  allocations-total: 3\n"))
        #expect(quota.acquire(user: "alice", count: 2) == nil)
        #expect(quota.acquire(user: "alice", count: 1) == .userQuota)
        #expect(quota.acquire(user: "bob", count: 2) == .capacity)
        #expect(quota.acquire(user: "bob", count: 1) == nil)
        #expect(quota.total == 3)
        quota.release(user: "alice", count: 2)
        #expect(quota.count(for: "alice") == 0 && quota.total == 1)
        // Releasing more than is held gives back only what is held.
        quota.release(user: "bob", count: 5)
        #expect(quota.total == 0)
    }

    @Test func zeroMeansUnlimitedAndAReloadChangesTheLimits() throws {
        let quota = ServerQuota(try Self.configuration("quotas:\n  allocations-per-user: 0\n  allocations-total: 0\n"))
        #expect(quota.acquire(user: "alice", count: 100_000) == nil)
        let tighter = try Self.configuration("quotas:\n  allocations-per-user: 1\n  allocations-total: 0\n")
        quota.reconfigure(tighter, usernameFailures: quota.usernameFailures(for: tighter))
        // Units taken stay; new ones meet the new limit.
        #expect(quota.count(for: "alice") == 100_000)
        #expect(quota.acquire(user: "alice", count: 1) == .userQuota)
        #expect(quota.acquire(user: "bob", count: 1) == nil)
    }

    @Test func aUsersByteBudgetIsOneObjectUntilTheUserHoldsNothing() throws {
        let quota = ServerQuota(try Self.configuration())
        let limit = BandwidthLimit(bytesPerSecond: 1000, burstBytes: 1000)
        #expect(quota.acquire(user: "alice", count: 2) == nil)
        let first = quota.bandwidth(user: "alice", limit: limit)
        #expect(quota.bandwidth(user: "alice", limit: limit) === first)
        #expect(quota.bandwidth(user: "bob", limit: limit) !== first)
        quota.release(user: "alice", count: 1)
        #expect(quota.bandwidth(user: "alice", limit: limit) === first)
        quota.release(user: "alice", count: 1)
        #expect(quota.acquire(user: "alice", count: 1) == nil)
        #expect(quota.bandwidth(user: "alice", limit: limit) !== first)
    }

    @Test func usernameFailureBudgetsCoverStaticUsersAndSurviveAReload() throws {
        let users = "  users:\n    alice:\n      password: \"a\"\n    bob:\n      password: \"b\"\n"
        let configuration = try Self.configuration("auth:\n" + users)
        let quota = ServerQuota(configuration)
        let budgets = quota.usernameFailures
        #expect(budgets.count == 2)
        let alice = try #require(budgets.bucket(for: "alice"))
        #expect(budgets.bucket(for: "1800000000:alice") == nil)
        // Bob removed: Alice keeps her bucket (what an attacker spent stays spent).
        let reloaded = try Self.configuration("auth:\n  users:\n    alice:\n      password: \"a\"\n")
        let next = quota.usernameFailures(for: reloaded)
        #expect(next.count == 1)
        #expect(next.bucket(for: "alice") === alice)
        #expect(quota.usernameFailures === budgets)
        quota.reconfigure(reloaded, usernameFailures: next)
        #expect(quota.usernameFailures === next)
        // New settings start afresh.
        let slower = try Self.configuration("auth:\n  users:\n    alice:\n      password: \"a\"\nquotas:\n  auth-failure-interval: 1m\n")
        #expect(quota.usernameFailures(for: slower).bucket(for: "alice") !== alice)
    }

    @Test func everyCoreGetsTheServerWideLimitsAndSharedObjects() throws {
        let configuration = try Self.configuration("""
        auth:
          users:
            alice:
              password: "a"
          max-credential-lifetime: 1d
        quotas:
          allocations-total: 1000
          bandwidth-per-user: 1MB/s
          auth-failure-burst: 4
          auth-failure-interval: 30s

        """)
        let quota = ServerQuota(configuration)
        let failures = quota.usernameFailures
        let cores = try (0..<4).map { index in
            try configuration.relayConfiguration(
                worker: index, of: 4, sharedQuota: quota, usernameFailures: failures, bound: configuration.listeners)
        }
        for core in cores {
            // Not a quarter each: the shared quota holds the total for all four.
            #expect(core.maximumAllocations == 1000)
            #expect(core.sharedQuota === quota)
            #expect(core.usernameFailureBudgets === failures)
            #expect(core.bandwidthPerUser == BandwidthLimit(bytesPerSecond: 1_000_000, burstBytes: 1_000_000))
            #expect(core.authFailureBurst == 4 && core.authFailureInterval == .seconds(30))
            #expect(core.credentials.maximumCredentialLifetime == .seconds(86_400))
        }
        #expect(Set(cores.map(\.portRange.lowerBound)).count == 4)
    }
}
