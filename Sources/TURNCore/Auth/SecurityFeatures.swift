/// The STUN Security Feature set a nonce cookie advertises (RFC 8489 §9.2, registry §18.1):
/// 24 flag bits. Bit 0 is the least significant bit, as RFC 8489 errata 6290 settles and as
/// the Appendix B.1 vector shows (`obMatJos2AAAC...`: username anonymity, bit 1, is 0x000002).
public struct SecurityFeatures: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Bit 0: the server offers PASSWORD-ALGORITHMS (RFC 8489 §9.2.1 bid-down protection).
    public static let passwordAlgorithms = SecurityFeatures(rawValue: 1 << 0)
    /// Bit 1: the client must send USERHASH instead of USERNAME (RFC 8489 §9.2.1, §14.4).
    public static let usernameAnonymity = SecurityFeatures(rawValue: 1 << 1)

    /// The set carries 24 bits (RFC 8489 §18.1).
    static let wireMask: UInt32 = 0x00FF_FFFF
    static let wireByteCount = 3

    /// The three bytes the cookie encodes, most significant first.
    var wireBytes: [UInt8] {
        let bits = rawValue & Self.wireMask
        return [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
    }

    init(wireBytes: [UInt8]) {
        self.init(rawValue: wireBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & Self.wireMask)
    }
}
