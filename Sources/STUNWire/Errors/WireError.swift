/// Why bytes were rejected by the codec.
///
/// Errors are equal when their codes are equal; the diagnostics and source location only help a
/// person reading a log or a failed test.
public struct WireError: Error, Hashable, Sendable {
    public var code: Code
    /// The attribute being decoded, when there was one.
    public var attribute: AttributeType?
    public var diagnostics: String
    public var file: String
    public var line: UInt

    public init(
        _ code: Code, attribute: AttributeType? = nil, _ diagnostics: String = "",
        file: String = #fileID, line: UInt = #line
    ) {
        self.code = code
        self.attribute = attribute
        self.diagnostics = diagnostics
        self.file = file
        self.line = line
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A reason code, stable enough to be a metric label.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// Fewer than 20 bytes (RFC 8489 §5).
        public static let truncatedHeader = Code("truncated_header")
        /// The two most significant bits are not zero (RFC 8489 §5).
        public static let notSTUN = Code("not_stun")
        /// The magic cookie is not 0x2112A442 (RFC 8489 §5).
        public static let badMagicCookie = Code("bad_magic_cookie")
        /// The length field is not a multiple of 4 (RFC 8489 §5).
        public static let lengthNotMultipleOfFour = Code("length_not_multiple_of_four")
        /// The length field disagrees with the bytes present.
        public static let lengthMismatch = Code("length_mismatch")
        /// An attribute header or value runs past the end of the message.
        public static let attributeTruncated = Code("attribute_truncated")
        /// A known attribute whose value has the wrong size or contents.
        public static let invalidAttributeValue = Code("invalid_attribute_value")
        /// An address attribute with a family other than 0x01 or 0x02.
        public static let invalidAddressFamily = Code("invalid_address_family")
        /// More than `STUNMessage.maximumAttributes` attributes.
        public static let tooManyAttributes = Code("too_many_attributes")
        /// A second instance of an attribute that may appear once.
        public static let duplicateAttribute = Code("duplicate_attribute")
        /// Anything after FINGERPRINT, which must be last (RFC 8489 §14.7).
        public static let attributeAfterFingerprint = Code("attribute_after_fingerprint")
        /// The FINGERPRINT value does not match the message (RFC 8489 §7.3).
        public static let fingerprintMismatch = Code("fingerprint_mismatch")
        /// A verification asked for an integrity attribute the message does not carry.
        public static let integrityMissing = Code("integrity_missing")
        /// MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 does not match (RFC 8489 §14.5, §14.6).
        public static let integrityMismatch = Code("integrity_mismatch")
        /// ChannelData shorter than its 4-byte header (RFC 8656 §12.4).
        public static let channelDataTruncated = Code("channel_data_truncated")
        /// ChannelData whose length field runs past the datagram (RFC 8656 §12.5).
        public static let channelDataLengthMismatch = Code("channel_data_length_mismatch")
        /// A channel number outside 0x4000-0x7FFF (RFC 5766 §11; see `ChannelNumber.validRange`).
        public static let invalidChannelNumber = Code("invalid_channel_number")
        /// Bytes on a stream that begin neither a STUN message nor ChannelData (RFC 8656 §12.5).
        public static let unrecognizedFrame = Code("unrecognized_frame")
        /// A stream frame longer than the configured maximum.
        public static let frameTooLong = Code("frame_too_long")
        /// A string that SASLprep (RFC 4013) prohibits.
        public static let prohibitedCharacter = Code("prohibited_character")
    }
}

extension WireError: CustomStringConvertible {
    public var description: String {
        var text = "WireError.\(code)"
        if let attribute { text += " in \(attribute)" }
        if !diagnostics.isEmpty { text += ": \(diagnostics)" }
        return text + " (\(file):\(line))"
    }
}
