import NIOCore
@testable import STUNWire

/// Builds STUN bytes by hand, including ones the encoder would never produce.
enum Raw {
    static let cookie: [UInt8] = [0x21, 0x12, 0xA4, 0x42]
    static let transactionID: [UInt8] = Array(1...12)

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func u32(_ value: UInt32) -> [UInt8] { u16(UInt16(value >> 16)) + u16(UInt16(value & 0xFFFF)) }

    /// One attribute: type, length (the value's own unless overridden), value, zero padding.
    static func attribute(_ type: AttributeType, _ value: [UInt8], length: UInt16? = nil, pad: UInt8 = 0) -> [UInt8] {
        u16(type.rawValue) + u16(length ?? UInt16(value.count)) + value
            + [UInt8](repeating: pad, count: (4 - value.count % 4) % 4)
    }

    /// A header followed by `body`; the length field is the body's unless overridden.
    static func message(
        type: UInt16 = 0x0001, length: Int? = nil, cookie: [UInt8] = cookie, body: [UInt8] = []
    ) -> [UInt8] {
        u16(type) + u16(UInt16(length ?? body.count)) + cookie + transactionID + body
    }

    static func message(_ first: [UInt8], _ rest: [UInt8]...) -> [UInt8] { message(body: first + rest.flatMap { $0 }) }

    static var id: TransactionID { TransactionID(bytes: transactionID)! }
}

extension Raw {
    /// `message` with `attributes` appended and the header length updated (any MAC inside is
    /// unaffected: it covers only what precedes it, with its own adjusted length).
    static func appending(_ message: [UInt8], _ attributes: [UInt8]...) -> [UInt8] {
        var bytes = message + attributes.flatMap { $0 }
        bytes.replaceSubrange(2..<4, with: u16(UInt16(bytes.count - STUNMessage.headerLength)))
        return bytes
    }
}
