import STUNWire

/// A username of the shared-secret scheme WebRTC deployments use ("TURN REST API",
/// draft-uberti-behave-turn-rest-00): `<unix-expiry>:<user>`, whose password is
/// base64(HMAC-SHA1(secret, username)), so a backend holding the secret mints credentials that
/// the server checks without any per-user state.
public struct SharedSecretUsername: Hashable, Sendable {
    /// The whole username, as carried in USERNAME.
    public let username: String
    /// Unix seconds after which the credential is refused.
    public let expiry: UInt64
    /// Everything after the first colon: the quota identity. May itself contain colons.
    public let user: String

    /// Digits of the largest UInt64, 18446744073709551615.
    private static let maximumExpiryDigits = 20
    private static let separator = UInt8(ascii: ":")

    /// Nil unless the part before the first colon is 1-20 ASCII decimal digits that fit a UInt64.
    public init?(_ username: String) {
        let bytes = username.utf8
        guard let colon = bytes.firstIndex(of: Self.separator) else { return nil }
        let digits = bytes[..<colon]
        guard !digits.isEmpty, digits.count <= Self.maximumExpiryDigits,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = sum
        }
        self.username = username
        expiry = value
        user = String(decoding: bytes[bytes.index(after: colon)...], as: UTF8.self)
    }

    /// base64(HMAC-SHA1(secret, username)), standard alphabet with padding (RFC 4648 §4).
    public static func password(username: String, secret: [UInt8]) -> String {
        Base64.encode(HMACSHA1.authenticate(key: secret, message: Array(username.utf8)), alphabet: .standard, padded: true)
    }
}
