import NIOCore
import FuzzSupport
import STUNWire

/// libFuzzer entry: every input must decode or throw a `WireError`, never trap; whatever decodes
/// must re-encode and decode to the same message, and integrity checks must not trap either.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessageDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    _ = STUNMessage.looksLikeSTUN(buffer)
    if let decoded = try? STUNMessage.decode(buffer) {
        _ = try? decoded.verifyMessageIntegrity(key: [1, 2, 3])
        _ = try? decoded.verifyMessageIntegritySHA256(key: [1, 2, 3])
        if let encoded = try? decoded.message.encode() {
            guard let again = try? STUNMessage.decode(encoded) else {
                fatalError("re-encoded message does not decode: \(decoded.message)")
            }
            precondition(again.message == decoded.message, "round trip changed \(decoded.message)")
        }
    }
    _ = try? ChannelData.decode(datagram: buffer)
    return 0
}

#if !TURNPIKE_FUZZING
/// Without libFuzzer this replays the files named on the command line (a corpus or a crash).
@main
enum ReplayCorpus {
    static func main() { FuzzReplay.run(fuzzMessageDecoder) }
}
#endif
