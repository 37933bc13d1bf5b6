import NIOCore
import Foundation
import FuzzSupport
import STUNWire

/// libFuzzer entry: the input is split into chunks at sizes taken from its first bytes and fed
/// to the deframer; frames must come out the same however the stream is chunked, and each frame
/// must be one the datagram decoders accept or reject without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreamDeframer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let chunkSeed = input.first else { return 0 }
    let stream = input.dropFirst()

    let whole = deframe([stream], maximum: 4096)
    var chunks: [ArraySlice<UInt8>] = []
    var index = stream.startIndex
    var step = Int(chunkSeed % 7) + 1
    while index < stream.endIndex {
        let end = min(index + step, stream.endIndex)
        chunks.append(stream[index..<end])
        index = end
        step = step % 13 + 1
    }
    let chunked = deframe(chunks, maximum: 4096)
    precondition(whole == chunked, "chunking changed the frames")
    return 0
}

/// Frames from a stream delivered in `chunks`, up to the first error.
private func deframe(_ chunks: [ArraySlice<UInt8>], maximum: Int) -> [StreamFrame] {
    let deframer = StreamDeframer(maximumFrameLength: maximum)
    var buffer = ByteBuffer()
    var frames: [StreamFrame] = []
    for chunk in chunks {
        buffer.writeBytes(chunk)
        do {
            while let frame = try deframer.nextFrame(&buffer) {
                if case .stun(let bytes) = frame { _ = try? STUNMessage.decode(bytes) }
                frames.append(frame)
            }
        } catch {
            return frames
        }
        precondition(buffer.readableBytes < maximum, "an incomplete frame longer than the limit was kept")
    }
    return frames
}

// The entry point (see `FuzzMain`): libFuzzer's driver when built with `-sanitize=fuzzer`,
// otherwise a replay of the files named on the command line.
exit(FuzzMain.run(argc: CommandLine.argc, argv: CommandLine.unsafeArgv) { data, size in fuzzStreamDeframer(data, size) })
