@testable import STUNWire

/// ChannelData datagrams that RFC 8656 §12.4-§12.5 says to discard.
extension MalformedCorpus {
    static func channelData(_ description: String, _ bytes: [UInt8], _ expected: WireError.Code) -> MalformedCase {
        MalformedCase(description: "ChannelData: \(description)", bytes: bytes, expected: expected, decoder: .channelData)
    }

    static let channelData: [MalformedCase] = [
        channelData("length 5, 4 bytes follow", [0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4], .channelDataLengthMismatch),
        channelData("length 1, nothing follows", [0x40, 0x00, 0x00, 0x01], .channelDataLengthMismatch),
        channelData("length 0xFFFF", [0x4F, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4], .channelDataLengthMismatch),
        channelData("4 trailing bytes", [0x40, 0x00, 0x00, 0x01, 9, 0, 0, 0, 0], .channelDataLengthMismatch),
        channelData("8 trailing bytes", [0x40, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 8), .channelDataLengthMismatch),
        channelData("channel 0x8000", [0x80, 0x00, 0x00, 0x00], .invalidChannelNumber),
        channelData("channel 0xBFFF", [0xBF, 0xFF, 0x00, 0x00], .invalidChannelNumber),
        channelData("channel 0x3FFF", [0x3F, 0xFF, 0x00, 0x00], .invalidChannelNumber),
        channelData("channel 0xFFFF", [0xFF, 0xFF, 0x00, 0x00], .invalidChannelNumber),
        channelData("empty", [], .channelDataTruncated),
        channelData("1 byte", [0x40], .channelDataTruncated),
        channelData("2 bytes", [0x40, 0x00], .channelDataTruncated),
        channelData("3 bytes", [0x40, 0x00, 0x00], .channelDataTruncated),
    ]
}
