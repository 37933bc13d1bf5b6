import NIOCore

/// The integrity computations of RFC 8489 §14.5-§14.7 over a message's bytes.
enum Integrity {
    enum Algorithm {
        case sha1
        case sha256
    }

    /// RFC 8489 §14.7: the CRC-32 of the message up to the FINGERPRINT attribute, XOR-ed with
    /// 0x5354554E. The header's length field already counts FINGERPRINT.
    static let fingerprintXOR: UInt32 = 0x5354_554E

    /// HMAC over the message up to the integrity attribute at `offset`, with the header's length
    /// field set as if the message ended right after that attribute (RFC 8489 §14.5, §14.6).
    static func hmac(
        _ algorithm: Algorithm, key: [UInt8], over message: ByteBuffer, upTo offset: Int, valueLength: Int
    ) -> [UInt8] {
        let adjustedLength = UInt16(offset - STUNMessage.headerLength + 4 + valueLength)
        return message.withUnsafeReadableBytes { raw in
            var header = [UInt8](raw[0..<STUNMessage.headerLength])
            header[2] = UInt8(adjustedLength >> 8)
            header[3] = UInt8(truncatingIfNeeded: adjustedLength)
            let body = UnsafeRawBufferPointer(rebasing: raw[STUNMessage.headerLength..<offset])
            return header.withUnsafeBytes { header in
                switch algorithm {
                case .sha1: HMACSHA1.authenticate(key: key, parts: header, body)
                case .sha256: HMACSHA256.authenticate(key: key, parts: header, body)
                }
            }
        }
    }

    static func fingerprint(over message: ByteBuffer, upTo offset: Int) -> UInt32 {
        message.withUnsafeReadableBytes { raw in
            CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<offset]))
        } ^ fingerprintXOR
    }
}
