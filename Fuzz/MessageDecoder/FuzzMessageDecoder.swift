import NIOCore
import Foundation
import FuzzSupport
import STUNWire

/// libFuzzer entry: every input must decode or throw a `WireError`, never trap; integrity checks
/// must not trap either; and whatever decodes must re-encode and decode to the same message. The
/// integrity attributes and FINGERPRINT are bound to the exact received bytes (padding included),
/// so the round trip leaves them out and lets the encoder compute fresh ones.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessageDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let buffer = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    _ = STUNMessage.looksLikeSTUN(buffer)
    if let decoded = try? STUNMessage.decode(buffer) {
        _ = try? decoded.verifyMessageIntegrity(key: [1, 2, 3])
        _ = try? decoded.verifyMessageIntegritySHA256(key: [1, 2, 3])
        var message = decoded.message
        message.attributes.removeAll {
            $0.type == .messageIntegrity || $0.type == .messageIntegritySHA256 || $0.type == .fingerprint
        }
        let options = EncodingOptions(messageIntegrityKey: [7], messageIntegritySHA256Key: [8], fingerprint: true)
        if let encoded = try? message.encode(options) {
            guard var again = try? STUNMessage.decode(encoded) else {
                fatalError("re-encoded message does not decode: \(message)")
            }
            do {
                try again.verifyMessageIntegrity(key: [7])
                try again.verifyMessageIntegritySHA256(key: [8])
            } catch {
                fatalError("fresh integrity does not verify: \(error)")
            }
            again.message.attributes.removeAll {
                $0.type == .messageIntegrity || $0.type == .messageIntegritySHA256 || $0.type == .fingerprint
            }
            precondition(again.message == message, "round trip changed \(message)")
        }
    }
    _ = try? ChannelData.decode(datagram: buffer)
    return 0
}

// The entry point (see `FuzzMain`): libFuzzer's driver when built with `-sanitize=fuzzer`,
// otherwise a replay of the files named on the command line.
exit(FuzzMain.run(argc: CommandLine.argc, argv: CommandLine.unsafeArgv) { data, size in fuzzMessageDecoder(data, size) })
