import STUNWire

/// A `RandomNumberGenerator` backed by libsodium's CSPRNG, for generated passwords and keys.
public struct SecureRandomNumberGenerator: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        SecureRandom.uint64()
    }
}
