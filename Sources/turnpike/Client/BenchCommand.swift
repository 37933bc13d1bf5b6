import ArgumentParser
import Foundation
import NIOPosix
import TURNClient
import TURNServer

/// `turnpike bench URL`: bounded load through a relay, reporting packets/s, loss and latency.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Drive bounded load through a TURN relay and report relayed packets/s, loss and latency percentiles.",
        discussion: """
            --pairs pairs of allocations on the server, joined by channels both ways; each client sends --rate \
            ChannelData packets per second of --size bytes to its partner for --duration. Every loop is bounded \
            (at most \(TURNBench.maximumPairs) pairs, \(TURNBench.maximumRate) packets/s per client, \
            \(TURNBench.maximumDuration) of sending). --json prints a machine-readable result.
            """)

    @Argument(help: "turn:HOST[:PORT][?transport=udp|tcp] or turns:HOST[:PORT]") var url: String
    @OptionGroup var credentials: ClientCredentials
    @Option(help: "Pairs of allocations.") var pairs = 1
    @Option(help: "Packets per second each client sends.") var rate = 100
    @Option(help: "Payload bytes per packet.") var size = 100
    @Option(help: ArgumentHelp("How long to send (10s, 1m).", valueName: "duration")) var duration = "5s"
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        guard let parsed = TURNURL(url) else { throw ValidationError("not a TURN URL: \(url)") }
        guard let length = DurationSyntax.parse(duration) else { throw ValidationError("--duration: expected \(DurationSyntax.expected)") }
        let (username, password) = try credentials.resolve()
        let bench: TURNBench
        do {
            bench = try TURNBench(
                url: parsed, username: username, password: password,
                options: TURNBench.Options(pairs: pairs, rate: rate, payloadBytes: size, duration: length))
        } catch {
            throw ValidationError("\(error)")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let result: TURNBench.Result
        do {
            result = try await bench.run(group: group)
            try? await group.shutdownGracefully()
        } catch {
            try? await group.shutdownGracefully()
            CLIOutput.error("bench failed: \(error)")
            throw ExitCode.failure
        }
        if json {
            CLIOutput.encode(result)
            return
        }
        CLIOutput.line("""
            \(result.url): \(result.pairs) pair\(result.pairs == 1 ? "" : "s"), \(result.ratePerClient) packets/s per client, \(result.payloadBytes) bytes, \(result.durationSeconds) s
              sent      \(result.sent)
              received  \(result.received) (loss \(result.lossPercent)%)
              relayed   \(result.relayedPacketsPerSecond) packets/s
              latency   p50 \(result.latencyMilliseconds.p50) ms, p90 \(result.latencyMilliseconds.p90) ms, p99 \(result.latencyMilliseconds.p99) ms, max \(result.latencyMilliseconds.max) ms
            """)
    }
}
