import NIOCore
import STUNWire
@testable import TURNCore

/// Builds the requests a TURN client sends, authenticated with long-term credentials
/// (RFC 8489 §9.2) once it holds a nonce.
struct TestClient {
    enum Integrity {
        case sha1
        case sha256(length: Int)
        case none
    }

    var fiveTuple: FiveTuple
    var username: String
    var password: String
    var realm = Fixture.realm
    var nonce: String?
    var integrity: Integrity = .sha256(length: 32)
    /// When set, PASSWORD-ALGORITHMS and PASSWORD-ALGORITHM are sent (RFC 8489 §9.2.4).
    var passwordAlgorithm: PasswordAlgorithm? = .sha256
    var offeredAlgorithms: [PasswordAlgorithm] = [.sha256, .md5]
    var fingerprint = false
    var useUserhash = false
    var nextID: UInt64 = 1

    init(_ fiveTuple: FiveTuple, username: String = Fixture.username, password: String = Fixture.password) {
        self.fiveTuple = fiveTuple
        self.username = username
        self.password = password
    }

    /// The long-term key for the chosen algorithm (MD5 for none, or one the codec cannot derive).
    var key: [UInt8] {
        let algorithm = passwordAlgorithm.flatMap { [PasswordAlgorithm.md5, .sha256].contains($0) ? $0 : nil } ?? .md5
        return try! LongTermCredentials.key(username: username, realm: realm, password: password, algorithm: algorithm)
    }

    mutating func newTransactionID() -> TransactionID {
        defer { nextID += 1 }
        return TransactionID(high: 0x7E57_0000_0000_0000 | nextID, low: UInt32(truncatingIfNeeded: nextID))
    }

    /// An unauthenticated request (what a client sends first).
    mutating func plainRequest(_ method: Method, _ attributes: [Attribute] = [], id: TransactionID? = nil) -> ByteBuffer {
        let message = STUNMessage(type: MessageType(method, .request), transactionID: id ?? newTransactionID(), attributes: attributes)
        return try! message.encode(EncodingOptions(fingerprint: fingerprint))
    }

    /// A request with USERNAME (or USERHASH), REALM, NONCE, the password-algorithm attributes and
    /// the chosen integrity attribute.
    mutating func request(_ method: Method, _ attributes: [Attribute] = [], id: TransactionID? = nil) -> ByteBuffer {
        build(.request, method, attributes, id: id ?? newTransactionID())
    }

    mutating func indication(_ method: Method, _ attributes: [Attribute]) -> ByteBuffer {
        let message = STUNMessage(type: MessageType(method, .indication), transactionID: newTransactionID(), attributes: attributes)
        return try! message.encode(EncodingOptions(fingerprint: fingerprint))
    }

    func build(_ messageClass: MessageClass, _ method: Method, _ attributes: [Attribute], id: TransactionID) -> ByteBuffer {
        var all = attributes
        if useUserhash {
            all.append(.userhash(try! LongTermCredentials.userhash(username: username, realm: realm)))
        } else {
            all.append(.username(username))
        }
        all.append(.realm(realm))
        if let nonce { all.append(.nonce(nonce)) }
        if let passwordAlgorithm {
            all.append(.passwordAlgorithms(offeredAlgorithms))
            all.append(.passwordAlgorithm(passwordAlgorithm))
        }
        let message = STUNMessage(type: MessageType(method, messageClass), transactionID: id, attributes: all)
        let options: EncodingOptions = switch integrity {
        case .sha1: EncodingOptions(messageIntegrityKey: key, fingerprint: fingerprint)
        case .sha256(let length):
            EncodingOptions(messageIntegritySHA256Key: key, messageIntegritySHA256Length: length, fingerprint: fingerprint)
        case .none: EncodingOptions(fingerprint: fingerprint)
        }
        return try! message.encode(options)
    }

    /// Verifies a response's integrity with this client's key, as the client would.
    func verify(_ response: ByteBuffer) -> Bool {
        guard let decoded = try? STUNMessage.decode(response) else { return false }
        if decoded.hasMessageIntegritySHA256 {
            return (try? decoded.verifyMessageIntegritySHA256(key: key)) != nil
        }
        if decoded.hasMessageIntegrity {
            return (try? decoded.verifyMessageIntegrity(key: key)) != nil
        }
        return false
    }
}
