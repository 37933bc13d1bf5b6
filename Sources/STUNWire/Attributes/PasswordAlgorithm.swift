/// A password algorithm of RFC 8489 §18.5 with its parameters, as carried by
/// PASSWORD-ALGORITHM and PASSWORD-ALGORITHMS (§14.11, §14.12).
public struct PasswordAlgorithm: Hashable, Sendable {
    public var number: UInt16
    public var parameters: [UInt8]

    public init(number: UInt16, parameters: [UInt8] = []) {
        self.number = number
        self.parameters = parameters
    }

    /// RFC 8489 §18.5: MD5 of `username:realm:password`, the RFC 5389 key.
    public static let md5 = PasswordAlgorithm(number: 0x0001)
    /// RFC 8489 §18.5: SHA-256 of `username:realm:password`.
    public static let sha256 = PasswordAlgorithm(number: 0x0002)
}

extension PasswordAlgorithm: CustomStringConvertible {
    public var description: String {
        switch number {
        case 0x0001: "MD5"
        case 0x0002: "SHA-256"
        default: "PasswordAlgorithm(\(number))"
        }
    }
}
