/// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed hash
/// whose outputs an attacker cannot predict or collide without the 128-bit key.
struct SipHash24 {
    private var v0: UInt64
    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64

    private static let compressionRounds = 2
    private static let finalizationRounds = 4
    private static let wordBytes = 8

    init(k0: UInt64, k1: UInt64) {
        v0 = k0 ^ 0x736F_6D65_7073_6575
        v1 = k1 ^ 0x646F_7261_6E64_6F6D
        v2 = k0 ^ 0x6C79_6765_6E65_7261
        v3 = k1 ^ 0x7465_6462_7974_6573
    }

    /// The hash of `bytes`.
    static func hash(k0: UInt64, k1: UInt64, bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = SipHash24(k0: k0, k1: k1)
        let wholeWords = bytes.count / wordBytes
        for index in 0..<wholeWords {
            state.compress(littleEndianWord(bytes, from: index * wordBytes, count: wordBytes))
        }
        let tailStart = wholeWords * wordBytes
        let tail = littleEndianWord(bytes, from: tailStart, count: bytes.count - tailStart)
        return state.finalize(tail | UInt64(truncatingIfNeeded: bytes.count) << 56)
    }

    /// The hash of the 16 bytes `w0` then `w1`, each little-endian: no buffer needed.
    static func hash(k0: UInt64, k1: UInt64, _ w0: UInt64, _ w1: UInt64) -> UInt64 {
        var state = SipHash24(k0: k0, k1: k1)
        state.compress(w0)
        state.compress(w1)
        return state.finalize(UInt64(16) << 56)
    }

    private mutating func compress(_ word: UInt64) {
        v3 ^= word
        for _ in 0..<Self.compressionRounds { round() }
        v0 ^= word
    }

    private mutating func finalize(_ lastBlock: UInt64) -> UInt64 {
        compress(lastBlock)
        v2 ^= 0xFF
        for _ in 0..<Self.finalizationRounds { round() }
        return v0 ^ v1 ^ v2 ^ v3
    }

    private mutating func round() {
        v0 &+= v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
        v2 &+= v3; v3 = rotl(v3, 16); v3 ^= v2
        v0 &+= v3; v3 = rotl(v3, 21); v3 ^= v0
        v2 &+= v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
    }

    private func rotl(_ value: UInt64, _ count: UInt64) -> UInt64 {
        value << count | value >> (64 - count)
    }

    private static func littleEndianWord(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> UInt64 {
        var word: UInt64 = 0
        for offset in 0..<count {
            word |= UInt64(bytes[start + offset]) << UInt64(8 * offset)
        }
        return word
    }
}
