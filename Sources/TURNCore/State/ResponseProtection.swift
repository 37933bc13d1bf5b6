import STUNWire

/// How to protect a response so it matches its request (RFC 8489 §9.2.4): the same integrity
/// attribute with the key that verified the request, and FINGERPRINT if the request had one.
struct ResponseProtection: Sendable {
    enum Integrity: Sendable {
        case none
        case sha1(key: [UInt8])
        /// RFC 8489 §14.6: the response truncates the HMAC as the request did.
        case sha256(key: [UInt8], length: Int)
    }

    var integrity: Integrity
    var fingerprint: Bool

    var encodingOptions: EncodingOptions {
        switch integrity {
        case .none:
            EncodingOptions(fingerprint: fingerprint)
        case .sha1(let key):
            EncodingOptions(messageIntegrityKey: key, fingerprint: fingerprint)
        case .sha256(let key, let length):
            EncodingOptions(messageIntegritySHA256Key: key, messageIntegritySHA256Length: length, fingerprint: fingerprint)
        }
    }
}
