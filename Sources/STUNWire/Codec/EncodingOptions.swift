/// What the encoder appends after a message's own attributes, in the order RFC 8489 §14.5-§14.7
/// requires: MESSAGE-INTEGRITY, then MESSAGE-INTEGRITY-SHA256, then FINGERPRINT.
public struct EncodingOptions: Sendable {
    /// Key for MESSAGE-INTEGRITY (HMAC-SHA1), e.g. the MD5 long-term key.
    public var messageIntegrityKey: [UInt8]?
    /// Key for MESSAGE-INTEGRITY-SHA256, e.g. the SHA-256 long-term key.
    public var messageIntegritySHA256Key: [UInt8]?
    /// How many leading bytes of the HMAC-SHA256 to send: 16 to 32, a multiple of 4.
    public var messageIntegritySHA256Length: Int
    public var fingerprint: Bool
    /// The byte used to pad attribute values to a multiple of 4. Receivers ignore it
    /// (RFC 8489 §14); RFC 5769's vectors happen to pad with spaces.
    public var padding: UInt8

    public init(
        messageIntegrityKey: [UInt8]? = nil,
        messageIntegritySHA256Key: [UInt8]? = nil,
        messageIntegritySHA256Length: Int = HMACSHA256.byteCount,
        fingerprint: Bool = false,
        padding: UInt8 = 0
    ) {
        self.messageIntegrityKey = messageIntegrityKey
        self.messageIntegritySHA256Key = messageIntegritySHA256Key
        self.messageIntegritySHA256Length = messageIntegritySHA256Length
        self.fingerprint = fingerprint
        self.padding = padding
    }

    public static let plain = EncodingOptions()
}
