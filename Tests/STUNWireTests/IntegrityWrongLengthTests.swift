import NIOCore
import Testing
@testable import STUNWire

/// RFC 8489 §14.5/§14.6: the HMAC covers the header with its length field pointing at the end of
/// the integrity attribute. A MAC computed over any other length field must not verify, and the
/// same construction with the right length must (so the failing cases fail for that reason alone).
@Suite struct IntegrityWrongLengthTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var description: String
        var sha256Length: Int?  // nil: MESSAGE-INTEGRITY (HMAC-SHA1)
        /// Added to the correct adjusted length before computing the MAC.
        var lengthError: Int
        var fingerprint: Bool
        var testDescription: String { description }
    }

    static let key = Array("long-term key".utf8)

    static let cases: [Case] = [nil, 32, 16].flatMap { (sha: Int?) -> [Case] in
        let name = sha.map { "MI-SHA256/\($0)" } ?? "MI"
        return [
            Case(description: "\(name) correct length", sha256Length: sha, lengthError: 0, fingerprint: false),
            Case(description: "\(name) correct length, FINGERPRINT after", sha256Length: sha, lengthError: 0, fingerprint: true),
            Case(description: "\(name) length excludes itself", sha256Length: sha,
                 lengthError: -(4 + (sha ?? 20)), fingerprint: false),
            Case(description: "\(name) length counts FINGERPRINT", sha256Length: sha, lengthError: 8, fingerprint: true),
            Case(description: "\(name) length off by 4", sha256Length: sha, lengthError: 4, fingerprint: false),
        ]
    }

    /// USERNAME, then the integrity attribute whose MAC used `correct + lengthError` as the
    /// header length, then an optional FINGERPRINT (always correct for the bytes sent).
    static func message(_ sample: Case) -> [UInt8] {
        let username = Raw.attribute(.username, Array("user".utf8))
        let macLength = sample.sha256Length ?? HMACSHA1.byteCount
        let correct = username.count + 4 + macLength
        let total = correct + (sample.fingerprint ? 8 : 0)
        let signedHeader = Raw.message(length: correct + sample.lengthError)
        let mac = switch sample.sha256Length {
        case nil: HMACSHA1.authenticate(key: key, message: signedHeader + username)
        case let length?: Array(HMACSHA256.authenticate(key: key, message: signedHeader + username).prefix(length))
        }
        let type: AttributeType = sample.sha256Length == nil ? .messageIntegrity : .messageIntegritySHA256
        var bytes = Raw.message(length: total) + username + Raw.attribute(type, mac)
        if sample.fingerprint {
            bytes += Raw.attribute(.fingerprint, [0, 0, 0, 0])
            bytes = MalformedCorpus.fixFingerprint(bytes, at: bytes.count - 8)
        }
        return bytes
    }

    @Test(arguments: cases)
    func verification(_ sample: Case) throws {
        let decoded = try STUNMessage.decode(ByteBuffer(bytes: Self.message(sample)))
        let verify = { () throws(WireError) in
            if sample.sha256Length == nil {
                try decoded.verifyMessageIntegrity(key: Self.key)
            } else {
                try decoded.verifyMessageIntegritySHA256(key: Self.key)
            }
        }
        if sample.lengthError == 0 {
            try verify()
        } else {
            #expect(throws: WireError(.integrityMismatch), "\(sample.description)") { try verify() }
        }
    }
}
