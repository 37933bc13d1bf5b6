/// A STUN message: header fields and attributes in wire order (RFC 8489 §5, §14).
public struct STUNMessage: Hashable, Sendable {
    public var type: MessageType
    public var transactionID: TransactionID
    public var attributes: [Attribute]

    public init(type: MessageType, transactionID: TransactionID, attributes: [Attribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// RFC 8489 §5: the fixed value in bytes 4-7 of every message.
    public static let magicCookie: UInt32 = 0x2112_A442
    /// RFC 8489 §5: the header is 20 bytes.
    public static let headerLength = 20
    /// The most attributes one message may carry. RFC 8489 sets no limit, but a 64 KiB message of
    /// empty attributes would otherwise decode into an array many times its own size. Real
    /// messages carry about 15; a CreatePermission with 60 peers still fits.
    public static let maximumAttributes = 64
    /// The length field is 16 bits, so no message body exceeds this.
    public static let maximumBodyLength = Int(UInt16.max) & ~3
}
