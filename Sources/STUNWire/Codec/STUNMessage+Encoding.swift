import NIOCore

extension STUNMessage {
    /// Encodes the message, then appends the integrity attributes and FINGERPRINT that
    /// `options` asks for (RFC 8489 §14.5-§14.7). Throws `frameTooLong` when an attribute value
    /// or the whole body would not fit the 16-bit length fields.
    public func encode(_ options: EncodingOptions = .plain) throws(WireError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try encode(into: &buffer, options)
        return buffer
    }

    public func encode(into buffer: inout ByteBuffer, _ options: EncodingOptions = .plain) throws(WireError) {
        let start = buffer.writerIndex
        buffer.writeInteger(type.wireValue)
        buffer.writeInteger(UInt16(0))  // length, set below
        buffer.writeInteger(Self.magicCookie)
        buffer.writeInteger(transactionID.high)
        buffer.writeInteger(transactionID.low)

        func setLength(_ bodyLength: Int) throws(WireError) {
            guard bodyLength <= Self.maximumBodyLength else {
                buffer.moveWriterIndex(to: start)
                throw WireError(.frameTooLong, "body of \(bodyLength) bytes")
            }
            buffer.setInteger(UInt16(bodyLength), at: start + 2)
        }
        func append(_ attribute: Attribute) throws(WireError) {
            let headerIndex = buffer.writerIndex
            buffer.writeInteger(attribute.type.rawValue)
            buffer.writeInteger(UInt16(0))
            AttributeEncoder.encodeValue(attribute, transactionID: transactionID, into: &buffer)
            let valueLength = buffer.writerIndex - headerIndex - 4
            guard valueLength <= Int(UInt16.max) else {
                buffer.moveWriterIndex(to: start)
                throw WireError(.frameTooLong, attribute: attribute.type, "value of \(valueLength) bytes")
            }
            buffer.setInteger(UInt16(valueLength), at: headerIndex + 2)
            buffer.writeRepeatingByte(options.padding, count: (4 - valueLength % 4) % 4)
            try setLength(buffer.writerIndex - start - Self.headerLength)
        }
        /// Appends an integrity attribute whose value is computed over the message so far.
        func appendIntegrity(_ algorithm: Integrity.Algorithm, key: [UInt8], length: Int) throws(WireError) {
            let offset = buffer.writerIndex - start
            try setLength(offset - Self.headerLength + 4 + length)
            let message = buffer.getSlice(at: start, length: offset)!
            let mac = Integrity.hmac(algorithm, key: key, over: message, upTo: offset, valueLength: length)
            switch algorithm {
            case .sha1: try append(.messageIntegrity(mac))
            case .sha256: try append(.messageIntegritySHA256(Array(mac.prefix(length))))
            }
        }

        try setLength(0)
        for attribute in attributes { try append(attribute) }
        if let key = options.messageIntegrityKey {
            try appendIntegrity(.sha1, key: key, length: HMACSHA1.byteCount)
        }
        if let key = options.messageIntegritySHA256Key {
            let length = options.messageIntegritySHA256Length
            precondition((16...32).contains(length) && length % 4 == 0, "RFC 8489 §14.6 truncation")
            try appendIntegrity(.sha256, key: key, length: length)
        }
        if options.fingerprint {
            let offset = buffer.writerIndex - start
            try setLength(offset - Self.headerLength + 8)
            let message = buffer.getSlice(at: start, length: offset)!
            try append(.fingerprint(Integrity.fingerprint(over: message, upTo: offset)))
        }
    }
}
