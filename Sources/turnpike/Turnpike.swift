import ArgumentParser
import CLibbpf
import STUNWire

@main
struct Turnpike: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnpike",
        abstract: "A TURN/STUN relay server (RFC 8656, RFC 8489) with an XDP fast path.",
        version: VersionInfo.text,
        subcommands: [
            Serve.self, CheckConfig.self, AllocationsCommand.self, StatsCommand.self, DrainCommand.self, ReloadCommand.self,
            CredentialsCommand.self, ProbeCommand.self, BenchCommand.self, Decode.self,
        ]
    )
}
