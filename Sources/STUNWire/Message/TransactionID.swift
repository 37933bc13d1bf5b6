/// The 96-bit transaction ID of a STUN message (RFC 8489 §5).
public struct TransactionID: Hashable, Sendable {
    /// The first eight bytes, big-endian.
    public var high: UInt64
    /// The last four bytes, big-endian.
    public var low: UInt32

    public init(high: UInt64, low: UInt32) {
        self.high = high
        self.low = low
    }

    /// Builds an ID from exactly 12 bytes in network order.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var high: UInt64 = 0
        var low: UInt32 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt32(byte) }
        }
        self.init(high: high, low: low)
    }

    /// A cryptographically random ID (RFC 8489 §5: "uniformly and randomly chosen").
    public static func random() -> TransactionID {
        var bytes = [UInt8](repeating: 0, count: 12)
        SecureRandom.fill(&bytes)
        return TransactionID(bytes: bytes)!
    }

    /// Draws an ID from an injected generator (for deterministic tests and simulations).
    public static func random(using generator: inout some RandomNumberGenerator) -> TransactionID {
        TransactionID(high: generator.next(), low: generator.next())
    }

    /// The twelve bytes in network order.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * UInt32($0))) }
    }
}

extension TransactionID: CustomStringConvertible {
    public var description: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
