import ArgumentParser
import Foundation
import TURNCore
import TURNServer

/// `turnpike credentials issue`: shared-secret credentials ("TURN REST API" scheme) that the
/// server accepts without per-user state, minted exactly as its `CredentialStore` checks them.
struct CredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Mint shared-secret TURN credentials.", subcommands: [Issue.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint a username and password valid for --ttl.",
            discussion: """
                The username is <unix-expiry>:<user>, the password base64(HMAC-SHA1(secret, username)). The secret \
                is --secret, or the first authentication.shared-secrets entry of --config FILE (or $TURNPIKE_CONFIG).
                """)

        @Option(help: "The user the credential is for (its quota identity).") var user: String
        @Option(help: ArgumentHelp("How long it is valid (30m, 1h, 1d...).", valueName: "duration")) var ttl: String = "1h"
        @Option(help: "The shared secret.") var secret: String?
        @Option(name: .customLong("config"), help: ArgumentHelp("Read the secret from this configuration file.", valueName: "file")) var configFile: String?
        @Flag(help: "Print JSON: username, password, ttl, expires.") var json = false
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp("Print an RTCIceServer entry with these URLs (turn:host:3478?transport=udp ...).", valueName: "url"))
        var iceServers: [String] = []

        func run() throws {
            try CLIOutput.run {
                guard let duration = DurationSyntax.parse(ttl), duration > .zero else { throw CLIError("--ttl: expected \(DurationSyntax.expected)") }
                guard !user.isEmpty else { throw CLIError("--user must not be empty") }
                let secret = try resolveSecret()
                let seconds = UInt64(duration.components.seconds)
                let expiry = UInt64(Date().timeIntervalSince1970) + seconds
                let minted = SharedSecretUsername.mint(user: user, expiry: expiry, secret: Array(secret.utf8))
                if !iceServers.isEmpty {
                    CLIOutput.encode(ICEServer(urls: iceServers, username: minted.username, credential: minted.password))
                } else if json {
                    CLIOutput.encode(Minted(username: minted.username, password: minted.password, ttl: seconds, expires: expiry))
                } else {
                    CLIOutput.line("username  \(minted.username)\npassword  \(minted.password)\nexpires   \(Self.format(expiry)) (in \(DurationSyntax.format(duration)))")
                }
            }
        }

        private func resolveSecret() throws -> String {
            if let secret {
                guard !secret.isEmpty else { throw CLIError("--secret must not be empty") }
                return secret
            }
            let environment = ProcessInfo.processInfo.environment
            guard let file = configFile ?? environment[ServerConfiguration.fileEnvironmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw CLIError("give --secret SECRET or --config FILE with authentication.shared-secrets")
            }
            var random = SystemRandomNumberGenerator()
            switch ServerConfiguration.resolve(from: ConfigurationSources(filePath: file, environment: environment), random: &random) {
            case .failure(let errors):
                throw CLIError("configuration: \(errors.errors.map(\.description).joined(separator: "; "))")
            case .success(let loaded):
                guard let first = loaded.configuration.authentication.sharedSecrets.first else {
                    throw CLIError("\(file) has no authentication.shared-secrets")
                }
                return first
            }
        }

        static func format(_ unixSeconds: UInt64) -> String {
            let formatter = ISO8601DateFormatter()
            return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
        }
    }

    struct Minted: Encodable {
        var username: String
        var password: String
        var ttl: UInt64
        var expires: UInt64
    }

    /// A WebRTC `RTCIceServer` dictionary.
    struct ICEServer: Encodable {
        var urls: [String]
        var username: String
        var credential: String
    }
}
