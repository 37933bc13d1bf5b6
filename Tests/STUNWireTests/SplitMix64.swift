#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small seeded generator (SplitMix64, Steele, Lea and Flood 2014) so property tests are
/// reproducible: a failing seed can be replayed with `TURNPIKE_TEST_SEED=<seed> swift test`.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed to use: `TURNPIKE_TEST_SEED` (decimal or 0x-hex) when set, otherwise `fallback`.
    static func seed(fallback: UInt64) -> UInt64 {
        guard let raw = getenv("TURNPIKE_TEST_SEED") else { return fallback }
        let text = String(cString: raw)
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) ?? fallback }
        return UInt64(text) ?? fallback
    }
}
