import ArgumentParser
import Foundation
import NIOPosix
import TURNClient

/// `turnpike probe URL`: checks a TURN server end to end and says whether it works.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Check a TURN server end to end: binding, auth, two allocations, permission, channel, data both ways, refresh, delete.",
        discussion: "Exit status 0 only when every step succeeds.")

    @Argument(help: "turn:HOST[:PORT][?transport=udp|tcp] or turns:HOST[:PORT]") var url: String
    @OptionGroup var credentials: ClientCredentials
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "With turns:, verify the server's certificate against HOST (off by default, for self-signed test servers).")
    var verifyCertificate = false

    func run() async throws {
        guard let parsed = TURNURL(url) else {
            throw ValidationError("not a TURN URL: \(url) (expected turn:HOST:PORT?transport=udp|tcp or turns:HOST:PORT)")
        }
        let (username, password) = try credentials.resolve()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let json = self.json
        if !json { CLIOutput.line("probing \(parsed) as \(username)") }
        let report = await TURNProbe(url: parsed, username: username, password: password, verifyCertificate: verifyCertificate).run(group: group) { step in
            guard !json else { return }
            let mark = step.ok ? "ok  " : "FAIL"
            CLIOutput.line("  \(mark) \(step.name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(String(format: "%8.2f ms", step.milliseconds))  \(step.detail)")
        }
        try? await group.shutdownGracefully()
        if json {
            CLIOutput.encode(report)
        } else if report.passed {
            CLIOutput.line("PASS: \(parsed) works end to end (\(report.steps.count) steps, \(String(format: "%.1f", report.totalMilliseconds)) ms)")
        } else {
            CLIOutput.line("FAIL: \(report.failure ?? "unknown")")
        }
        if !report.passed { throw ExitCode.failure }
    }
}
