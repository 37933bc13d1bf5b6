import ArgumentParser
import CLibbpf
import STUNWire

@main
struct Turnpike: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnpike",
        abstract: "A TURN/STUN relay server (RFC 8656, RFC 8489) with an XDP fast path.",
        version: VersionInfo.text,
        subcommands: [Decode.self, CheckConfig.self]
    )
}
