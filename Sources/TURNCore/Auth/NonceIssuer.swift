import STUNWire

/// Stateless nonces bound to the client's transport address (RFC 8489 §9.2): nothing is stored
/// per client, and any server holding the same key (a fleet) validates any other's nonces.
///
/// A nonce is 45 characters:
/// - `obMatJos2` and the 24-bit security feature set in four base64 characters: the nonce cookie
///   of RFC 8489 §9.2 that lets the client detect a bid-down attack (§9.2.1);
/// - 32 base64url characters (RFC 4648 §5) of: the wall-clock issue time (Unix seconds, 8 bytes
///   big-endian) and the first 16 bytes of HMAC-SHA256(key, label, feature bits, issue time,
///   client address family, IP bytes, port).
/// Every character is qdtext (RFC 8489 §14.10); no `"` or `\`.
public struct NonceIssuer: Sendable {
    private let key: [UInt8]
    public let lifetimeSeconds: UInt64
    public let features: SecurityFeatures

    /// RFC 8489 §9.2: the nonce cookie prefix.
    public static let cookiePrefix = "obMatJos2"
    /// Nonces dated further ahead than this (clock skew within a fleet) are stale.
    public static let maximumFutureSkewSeconds: UInt64 = 60
    /// Bytes of the HMAC kept: 128 bits.
    static let macByteCount = 16
    static let timestampByteCount = 8
    /// Four base64 characters carry the three feature bytes.
    static let featureCharacterCount = 4
    /// base64url of 24 bytes, which needs no padding.
    static let blobCharacterCount = 32
    static let nonceLength = cookiePrefix.utf8.count + featureCharacterCount + blobCharacterCount
    /// Domain separation, so the key can never produce a MAC that means something else.
    private static let macLabel = Array("turnpike nonce v1".utf8)

    /// Advertises `passwordAlgorithms` when the server offers PASSWORD-ALGORITHMS. Username
    /// anonymity is not advertised: a client seeing it must send USERHASH (RFC 8489 §9.2.1), and
    /// a shared-secret username cannot be recovered from its hash.
    public init(key: [UInt8], lifetime: Duration = .seconds(3600), supportsPasswordAlgorithms: Bool = true) {
        self.init(key: key, lifetime: lifetime, features: supportsPasswordAlgorithms ? .passwordAlgorithms : [])
    }

    /// Advertises exactly `features` (bits above the 24 the cookie carries are dropped).
    public init(key: [UInt8], lifetime: Duration, features: SecurityFeatures) {
        self.key = key
        lifetimeSeconds = lifetime.nanosecondsClamped / 1_000_000_000
        self.features = SecurityFeatures(rawValue: features.rawValue & SecurityFeatures.wireMask)
    }

    /// A nonce for `client`, dated `now.unixSeconds`.
    public func issue(for client: TransportAddress, now: Now) -> String {
        let featureBytes = features.wireBytes
        let timestamp = Self.bigEndian(now.unixSeconds)
        let blob = timestamp + mac(featureBytes: featureBytes, timestamp: timestamp, client: client)
        return Self.cookiePrefix
            + Base64.encode(featureBytes, alphabet: .standard, padded: false)
            + Base64.encode(blob, alphabet: .url, padded: false)
    }

    /// Checks that this key issued `nonce` to `client`, then its age (RFC 8489 §9.2.4).
    public func validate(_ nonce: String, for client: TransportAddress, now: Now) -> NonceStatus {
        let text = Substring(nonce).utf8
        guard text.count == Self.nonceLength, text.starts(with: Self.cookiePrefix.utf8) else { return .invalid }
        let featuresStart = text.index(text.startIndex, offsetBy: Self.cookiePrefix.utf8.count)
        let blobStart = text.index(featuresStart, offsetBy: Self.featureCharacterCount)
        guard let featureBytes = Base64.decodeUnpadded(text[featuresStart..<blobStart], alphabet: .standard),
              featureBytes.count == SecurityFeatures.wireByteCount,
              let blob = Base64.decodeUnpadded(text[blobStart...], alphabet: .url),
              blob.count == Self.timestampByteCount + Self.macByteCount else { return .invalid }
        let timestamp = Array(blob[..<Self.timestampByteCount])
        let expected = mac(featureBytes: featureBytes, timestamp: timestamp, client: client)
        guard ConstantTime.equals(expected, blob[Self.timestampByteCount...]) else { return .invalid }

        let issued = timestamp.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let current = now.unixSeconds
        if issued > current {
            if issued - current > Self.maximumFutureSkewSeconds { return .stale }
        } else if current - issued > lifetimeSeconds {
            return .stale
        }
        return .valid(SecurityFeatures(wireBytes: featureBytes))
    }

    private func mac(featureBytes: [UInt8], timestamp: [UInt8], client: TransportAddress) -> [UInt8] {
        let familyByte: UInt8 = client.family.rawValue
        let message = Self.macLabel + featureBytes + timestamp + [familyByte] + client.ip.bytes
            + [UInt8(truncatingIfNeeded: client.port >> 8), UInt8(truncatingIfNeeded: client.port)]
        return Array(HMACSHA256.authenticate(key: key, message: message).prefix(Self.macByteCount))
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<timestampByteCount).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (timestampByteCount - 1 - $0))) }
    }
}
