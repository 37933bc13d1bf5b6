/// Which configured credential authenticated a request: what must still be configured for an
/// allocation made with it to live on after a reload (`RelayCore.reload`).
enum CredentialOrigin: Sendable {
    /// A static user (`auth.users`), by its username.
    case staticUser
    /// A shared-secret username (`SharedSecretUsername`), verified with this secret.
    case sharedSecret([UInt8])
}
