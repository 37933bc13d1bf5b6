import Crypto
import Foundation

/// The two legacy algorithms RFC 8489 still mandates, from swift-crypto's `Insecure` namespace:
/// HMAC-SHA1 for MESSAGE-INTEGRITY (§14.5) and MD5 for the long-term key (§18.5.1.1).
/// Nothing else in Turnpike may use them.
public enum HMACSHA1 {
    public static let byteCount = 20

    /// The MAC of the concatenation of `parts`.
    public static func authenticate(key: [UInt8], parts: UnsafeRawBufferPointer...) -> [UInt8] {
        var hmac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: key))
        for part in parts { hmac.update(data: part) }
        return Array(hmac.finalize())
    }

    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { authenticate(key: key, parts: $0) }
    }
}

public enum MD5Digest {
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        Array(Insecure.MD5.hash(data: message))
    }
}
