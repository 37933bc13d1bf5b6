import NIOCore
import Testing
@testable import STUNWire

/// The malformed-input corpus: each input is rejected with exactly the expected error code.
@Suite struct MalformedMessageTests {
    @Test(arguments: MalformedCorpus.all)
    func rejected(_ sample: MalformedCase) {
        let error = sample.decode()
        #expect(error?.code == sample.expected, "\(sample.description): got \(String(describing: error))")
    }

    /// The corpus is only meaningful if the well-formed baselines it mutates are accepted.
    @Test func baselinesAreAccepted() throws {
        _ = try STUNMessage.decode(ByteBuffer(bytes: Raw.message()))
        _ = try STUNMessage.decode(ByteBuffer(bytes: MalformedCorpus.fingerprinted))
        _ = try STUNMessage.decode(ByteBuffer(bytes: Raw.message(
            Raw.attribute(.lifetime, Raw.u32(600)),
            Raw.attribute(.xorPeerAddress, [0, 1, 0x21, 0x12, 1, 2, 3, 4]))))
        _ = try ChannelData.decode(datagram: ByteBuffer(bytes: [0x40, 0x00, 0x00, 0x02, 9, 9]))
    }
}
