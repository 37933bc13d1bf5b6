/// The value of an ERROR-CODE attribute: a number from 300 to 699 and a reason phrase
/// (RFC 8489 §14.8). The phrase is informative; equality compares both.
public struct ErrorCode: Hashable, Sendable {
    /// The numeric code: class × 100 + number.
    public var code: UInt16
    /// UTF-8 reason phrase, fewer than 128 characters (RFC 8489 §14.8).
    public var reason: String

    public init(code: UInt16, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The same code with its standard reason phrase.
    public init(code: UInt16) {
        self.init(code: code, reason: Self.standardReasons[code] ?? "Error")
    }

    /// Valid codes are 300-699 (RFC 8489 §14.8: class 3 to 6).
    public static let validCodes: ClosedRange<UInt16> = 300...699

    // RFC 8489 §14.8
    public static let tryAlternate = ErrorCode(code: 300)
    public static let badRequest = ErrorCode(code: 400)
    public static let unauthenticated = ErrorCode(code: 401)
    public static let unknownAttribute = ErrorCode(code: 420)
    public static let staleNonce = ErrorCode(code: 438)
    public static let serverError = ErrorCode(code: 500)
    // RFC 8656 §19
    public static let forbidden = ErrorCode(code: 403)
    public static let allocationMismatch = ErrorCode(code: 437)
    public static let addressFamilyNotSupported = ErrorCode(code: 440)
    public static let wrongCredentials = ErrorCode(code: 441)
    public static let unsupportedTransportProtocol = ErrorCode(code: 442)
    public static let peerAddressFamilyMismatch = ErrorCode(code: 443)
    public static let allocationQuotaReached = ErrorCode(code: 486)
    public static let insufficientCapacity = ErrorCode(code: 508)

    /// The reason phrases the RFCs suggest.
    static let standardReasons: [UInt16: String] = [
        300: "Try Alternate",
        400: "Bad Request",
        401: "Unauthenticated",
        403: "Forbidden",
        420: "Unknown Attribute",
        437: "Allocation Mismatch",
        438: "Stale Nonce",
        440: "Address Family not Supported",
        441: "Wrong Credentials",
        442: "Unsupported Transport Protocol",
        443: "Peer Address Family Mismatch",
        486: "Allocation Quota Reached",
        500: "Server Error",
        508: "Insufficient Capacity",
    ]
}

extension ErrorCode: CustomStringConvertible {
    public var description: String { "\(code) \(reason)" }
}
