import ArgumentParser
import Foundation
import TURNCore

/// Credentials for `probe` and `bench`: a username and password, or a shared secret from which
/// a one-hour credential is minted for --user.
struct ClientCredentials: ParsableArguments {
    static let mintedLifetimeSeconds: UInt64 = 3600

    @Option(help: "Username (with --password), or the user to mint a credential for (with --secret).") var user: String?
    @Option(help: "Password of --user.") var password: String?
    @Option(help: "A shared secret of the server: mint a one-hour credential for --user (default user: probe).") var secret: String?

    func resolve() throws -> (username: String, password: String) {
        if let secret {
            guard password == nil else { throw ValidationError("give --password or --secret, not both") }
            let expiry = UInt64(Date().timeIntervalSince1970) + Self.mintedLifetimeSeconds
            let minted = SharedSecretUsername.mint(user: user ?? "probe", expiry: expiry, secret: Array(secret.utf8))
            return (minted.username, minted.password)
        }
        guard let user, let password else { throw ValidationError("give --user and --password, or --secret") }
        return (user, password)
    }
}
