/// A STUN method: the 12-bit operation code of a message (RFC 8489 §5, RFC 8656 §17).
public struct Method: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16

    /// Nil when the value does not fit in 12 bits.
    public init?(rawValue: UInt16) {
        guard rawValue <= 0x0FFF else { return nil }
        self.rawValue = rawValue
    }

    private init(_ value: UInt16) { rawValue = value }

    public static let binding = Method(0x001)
    public static let allocate = Method(0x003)
    public static let refresh = Method(0x004)
    public static let send = Method(0x006)
    public static let data = Method(0x007)
    public static let createPermission = Method(0x008)
    public static let channelBind = Method(0x009)
}

extension Method: CustomStringConvertible {
    public var description: String {
        switch self {
        case .binding: "Binding"
        case .allocate: "Allocate"
        case .refresh: "Refresh"
        case .send: "Send"
        case .data: "Data"
        case .createPermission: "CreatePermission"
        case .channelBind: "ChannelBind"
        default: "Method(0x\(String(rawValue, radix: 16)))"
        }
    }
}

/// The class of a STUN message (RFC 8489 §5).
public enum MessageClass: UInt8, Hashable, Sendable, CaseIterable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// Method and class together, as the 14-bit message type field interleaves them (RFC 8489 §5).
public struct MessageType: Hashable, Sendable {
    public var method: Method
    public var messageClass: MessageClass

    public init(_ method: Method, _ messageClass: MessageClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Splits a 14-bit type field: bits M0-M3, C0, M4-M6, C1, M7-M11 from least significant.
    public init?(wireValue: UInt16) {
        guard wireValue & 0xC000 == 0 else { return nil }
        let method = (wireValue & 0x000F) | (wireValue & 0x00E0) >> 1 | (wireValue & 0x3E00) >> 2
        let classBits = UInt8(truncatingIfNeeded: (wireValue & 0x0010) >> 4 | (wireValue & 0x0100) >> 7)
        self.init(Method(rawValue: method)!, MessageClass(rawValue: classBits)!)
    }

    public var wireValue: UInt16 {
        let m = method.rawValue
        let c = UInt16(messageClass.rawValue)
        return (m & 0x000F) | (m & 0x0070) << 1 | (m & 0x0F80) << 2 | (c & 0b01) << 4 | (c & 0b10) << 7
    }
}

extension MessageType: CustomStringConvertible {
    public var description: String {
        switch messageClass {
        case .request: "\(method) request"
        case .indication: "\(method) indication"
        case .successResponse: "\(method) success response"
        case .errorResponse: "\(method) error response"
        }
    }
}
