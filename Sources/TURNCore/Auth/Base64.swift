/// Base64 (RFC 4648 §4) and base64url (§5) in both directions, strict on input.
enum Base64 {
    enum Alphabet {
        /// RFC 4648 §4: `A-Z a-z 0-9 + /`.
        case standard
        /// RFC 4648 §5: `A-Z a-z 0-9 - _`, safe in URLs and file names.
        case url

        fileprivate var characters: [UInt8] {
            switch self {
            case .standard: Base64.letters + [UInt8(ascii: "+"), UInt8(ascii: "/")]
            case .url: Base64.letters + [UInt8(ascii: "-"), UInt8(ascii: "_")]
            }
        }
    }

    private static let letters: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let padding = UInt8(ascii: "=")
    private static let bitsPerCharacter = 6
    private static let sextetMask: UInt32 = 0x3F

    /// The encoding of `bytes`; with `padded`, a multiple of four characters ending in `=` as needed.
    static func encode(_ bytes: [UInt8], alphabet: Alphabet, padded: Bool) -> String {
        let table = alphabet.characters
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let available = min(3, bytes.count - index)
            var group: UInt32 = 0
            for offset in 0..<3 {
                group = group << 8 | (offset < available ? UInt32(bytes[index + offset]) : 0)
            }
            let characters = available + 1
            for position in 0..<4 {
                if position < characters {
                    out.append(table[Int(group >> UInt32(18 - bitsPerCharacter * position) & sextetMask)])
                } else if padded {
                    out.append(padding)
                }
            }
            index += available
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` encodes without padding, or nil if it holds a character outside the
    /// alphabet, has an impossible length, or sets bits past the last byte (non-canonical).
    static func decodeUnpadded(_ text: Substring.UTF8View, alphabet: Alphabet) -> [UInt8]? {
        let table = alphabet.characters
        guard text.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in text {
            guard let value = table.firstIndex(of: character) else { return nil }
            accumulator = accumulator << UInt32(bitsPerCharacter) | UInt32(value)
            bits += bitsPerCharacter
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard accumulator == 0 else { return nil }
        return out
    }
}
