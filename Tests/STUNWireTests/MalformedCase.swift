import NIOCore
import Testing
@testable import STUNWire

/// One entry of the malformed-input corpus: bytes that a decoder must reject with `expected`.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    enum Decoder: Sendable {
        /// `STUNMessage.decode` on a datagram.
        case stun
        /// `ChannelData.decode(datagram:)`.
        case channelData
    }

    var description: String
    var bytes: [UInt8]
    var expected: WireError.Code
    var decoder: Decoder = .stun

    var testDescription: String { description }

    /// Runs the decoder; nil when it accepted the input.
    func decode() -> WireError? {
        let buffer = ByteBuffer(bytes: bytes)
        do {
            switch decoder {
            case .stun: _ = try STUNMessage.decode(buffer)
            case .channelData: _ = try ChannelData.decode(datagram: buffer)
            }
            return nil
        } catch {
            return error
        }
    }
}
