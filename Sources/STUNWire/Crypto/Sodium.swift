import CSodium

/// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe,
/// and a Swift global is initialised exactly once, on first use.
private let sodiumInitialised: Bool = sodium_init() >= 0

@inline(__always)
private func requireSodium() {
    precondition(sodiumInitialised, "libsodium failed to initialise")
}

/// HMAC-SHA256 (libsodium), with a key of any length as RFC 2104 allows.
public enum HMACSHA256 {
    public static let byteCount = 32

    /// The MAC of the concatenation of `parts`.
    public static func authenticate(key: [UInt8], parts: UnsafeRawBufferPointer...) -> [UInt8] {
        requireSodium()
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: byteCount)
        // An empty key still needs a valid pointer.
        let keyStorage = key.isEmpty ? [0] : key
        keyStorage.withUnsafeBufferPointer { keyBytes in
            _ = crypto_auth_hmacsha256_init(&state, keyBytes.baseAddress!, key.count)
        }
        for part in parts {
            guard let base = part.baseAddress else { continue }
            _ = crypto_auth_hmacsha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(part.count))
        }
        _ = crypto_auth_hmacsha256_final(&state, &out)
        return out
    }

    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { authenticate(key: key, parts: $0) }
    }
}

/// SHA-256 (libsodium).
public enum SHA256Digest {
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        requireSodium()
        var out = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256(&out, message, UInt64(message.count))
        return out
    }
}

/// Comparison whose time does not depend on where the inputs differ (libsodium `sodium_memcmp`).
public enum ConstantTime {
    /// True when both have the same length and the same bytes. The length itself is not secret.
    public static func equals(_ lhs: some ContiguousBytes, _ rhs: some ContiguousBytes) -> Bool {
        requireSodium()
        return lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in
                guard l.count == r.count else { return false }
                guard l.count > 0 else { return true }
                return sodium_memcmp(l.baseAddress, r.baseAddress, l.count) == 0
            }
        }
    }
}

/// Bytes from the operating system's CSPRNG (libsodium `randombytes_buf`).
public enum SecureRandom {
    public static func fill(_ bytes: inout [UInt8]) {
        requireSodium()
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
    }

    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        fill(&out)
        return out
    }

    /// A uniformly random 64-bit value, e.g. to seed a generator.
    public static func uint64() -> UInt64 {
        bytes(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// `ContiguousBytes` without Foundation: arrays, slices and raw buffers.
public protocol ContiguousBytes {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytes where Element == UInt8 {}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}
extension UnsafeRawBufferPointer: ContiguousBytes {
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(self)
    }
}
