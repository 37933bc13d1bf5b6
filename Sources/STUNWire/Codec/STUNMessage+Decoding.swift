import NIOCore

extension STUNMessage {
    /// Cheap test for the demultiplexing rule of RFC 7983 / RFC 8656 §12: a STUN message starts
    /// with two zero bits and carries the magic cookie.
    public static func looksLikeSTUN(_ bytes: ByteBuffer) -> Bool {
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self),
              let cookie = bytes.getInteger(at: bytes.readerIndex + 4, as: UInt32.self) else { return false }
        return first & 0xC0 == 0 && cookie == magicCookie
    }

    /// Decodes exactly one message that fills `bytes` (a UDP datagram or a deframed stream frame).
    ///
    /// Strict and total: it never traps, never allocates more than the input's size, and throws
    /// a `WireError` for anything RFC 8489 §5, §7.3 and §14 say must be discarded. FINGERPRINT, if
    /// present, is verified here; MESSAGE-INTEGRITY needs the key, so it is verified later through
    /// the returned `DecodedMessage`.
    public static func decode(_ bytes: ByteBuffer) throws(WireError) -> DecodedMessage {
        let start = bytes.readerIndex
        guard bytes.readableBytes >= headerLength,
              let typeField = bytes.getInteger(at: start, as: UInt16.self),
              let length = bytes.getInteger(at: start + 2, as: UInt16.self),
              let cookie = bytes.getInteger(at: start + 4, as: UInt32.self),
              let high = bytes.getInteger(at: start + 8, as: UInt64.self),
              let low = bytes.getInteger(at: start + 16, as: UInt32.self) else {
            throw WireError(.truncatedHeader, "\(bytes.readableBytes) bytes")
        }
        guard let type = MessageType(wireValue: typeField) else {
            throw WireError(.notSTUN, "type field 0x\(String(typeField, radix: 16))")
        }
        guard cookie == magicCookie else { throw WireError(.badMagicCookie) }
        guard length % 4 == 0 else { throw WireError(.lengthNotMultipleOfFour, "length \(length)") }
        guard Int(length) == bytes.readableBytes - headerLength else {
            throw WireError(.lengthMismatch, "length field \(length), body \(bytes.readableBytes - headerLength)")
        }
        let transactionID = TransactionID(high: high, low: low)

        var attributes: [Attribute] = []
        var ignored: [AttributeType] = []
        var integrityOffset: Int?
        var integritySHA256Offset: Int?
        var offset = headerLength
        let end = headerLength + Int(length)
        while offset < end {
            guard offset + 4 <= end,
                  let rawType = bytes.getInteger(at: start + offset, as: UInt16.self),
                  let valueLength = bytes.getInteger(at: start + offset + 2, as: UInt16.self) else {
                throw WireError(.attributeTruncated, "attribute header at offset \(offset)")
            }
            let attributeType = AttributeType(rawValue: rawType)
            guard attributes.count + ignored.count < maximumAttributes else {
                throw WireError(.tooManyAttributes, attribute: attributeType)
            }
            let paddedLength = (Int(valueLength) + 3) & ~3
            guard offset + 4 + paddedLength <= end else {
                throw WireError(.attributeTruncated, attribute: attributeType, "value length \(valueLength)")
            }
            if attributes.last?.type == .fingerprint {
                throw WireError(.attributeAfterFingerprint, attribute: attributeType)
            }
            // RFC 8489 §14.5, §14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and
            // FINGERPRINT count; after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT does.
            let ignoreThis: Bool
            if integritySHA256Offset != nil {
                ignoreThis = attributeType != .fingerprint
            } else if integrityOffset != nil {
                ignoreThis = attributeType != .fingerprint && attributeType != .messageIntegritySHA256
            } else {
                ignoreThis = false
            }
            if ignoreThis {
                ignored.append(attributeType)
            } else {
                if !attributeType.mayRepeat, attributes.contains(where: { $0.type == attributeType }) {
                    throw WireError(.duplicateAttribute, attribute: attributeType)
                }
                let value = bytes.getSlice(at: start + offset + 4, length: Int(valueLength))!
                let attribute = try AttributeDecoder.decode(attributeType, value, transactionID: transactionID)
                switch attributeType {
                case .messageIntegrity: integrityOffset = offset
                case .messageIntegritySHA256: integritySHA256Offset = offset
                case .fingerprint:
                    let expected = Integrity.fingerprint(over: bytes, upTo: offset)
                    guard case .fingerprint(let received) = attribute, received == expected else {
                        throw WireError(.fingerprintMismatch)
                    }
                default: break
                }
                attributes.append(attribute)
            }
            offset += 4 + paddedLength
        }
        return DecodedMessage(
            message: STUNMessage(type: type, transactionID: transactionID, attributes: attributes),
            bytes: bytes,
            messageIntegrityOffset: integrityOffset,
            messageIntegritySHA256Offset: integritySHA256Offset,
            ignoredAttributes: ignored
        )
    }
}
