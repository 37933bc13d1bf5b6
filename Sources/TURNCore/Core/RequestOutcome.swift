import STUNWire

/// What a request handler decided.
enum RequestOutcome {
    /// A success response with these attributes.
    case success([Attribute])
    /// An error response: ERROR-CODE, then these attributes.
    case failure(ErrorCode, [Attribute] = [])
    /// The handler answers by itself (an Allocate waiting for its relay port, or one completed
    /// at once from a reservation, whose response is cached on the allocation).
    case answeredSeparately
}

/// Who sent an authenticated request, and how to protect the response.
struct AuthenticatedRequest {
    /// The USERNAME, or the one USERHASH resolved to.
    var username: String
    /// The quota identity (the `<user>` part of a shared-secret username).
    var user: String
    var origin: CredentialOrigin
    var credentialExpiry: UInt64?
    var protection: ResponseProtection
}
