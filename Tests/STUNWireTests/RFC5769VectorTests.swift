import NIOCore
import Testing
@testable import STUNWire

/// RFC 5769 test vectors, byte for byte, in both directions.
@Suite struct RFC5769VectorTests {
    static let transactionID = TransactionID(bytes: hexBytes("b7e7a701bc34d686fa87dfae"))!
    static let shortTermKey = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)

    /// §2.1: PRIORITY and ICE-CONTROLLED are ICE attributes, unknown here and comprehension
    /// optional/required respectively as their types say; they must pass through untouched.
    static let sampleRequest = hexBytes("""
        000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74\
        002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aea\
        a70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf
        """)
    static let ipv4Response = hexBytes("""
        0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f72200020000800\
        01a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96
        """)
    static let ipv6Response = hexBytes("""
        010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f72200020001400\
        02a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3\
        ed4180280004c8fb0b4c
        """)
    static let longTermRequest = hexBytes("""
        000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382afe382\
        b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b6578\
        616d706c652e6f72670000080014f67024656dd64a3e02b8e0712e85c9a28ca89666
        """)

    @Test func sampleRequestParses() throws {
        let decoded = try STUNMessage.decode(ByteBuffer(bytes: Self.sampleRequest))
        let message = decoded.message
        #expect(message.type == MessageType(.binding, .request))
        #expect(message.transactionID == Self.transactionID)
        #expect(message.software == "STUN test client")
        #expect(message.username == "evtj:h6vY")
        #expect(message.first(AttributeType(rawValue: 0x0024)) == .unknown(AttributeType(rawValue: 0x0024), hexBuffer("6e0001ff")))
        #expect(message.unknownComprehensionRequired == [AttributeType(rawValue: 0x0024)])
        try decoded.verifyMessageIntegrity(key: Self.shortTermKey)
        #expect(throws: WireError(.integrityMismatch)) {
            try decoded.verifyMessageIntegrity(key: Array("wrong".utf8))
        }
    }

    @Test func sampleRequestIsProduced() throws {
        let message = STUNMessage(type: MessageType(.binding, .request), transactionID: Self.transactionID, attributes: [
            .software("STUN test client"),
            .unknown(AttributeType(rawValue: 0x0024), hexBuffer("6e0001ff")),
            .unknown(AttributeType(rawValue: 0x8029), hexBuffer("932ff9b151263b36")),
            .username("evtj:h6vY"),
        ])
        let options = EncodingOptions(messageIntegrityKey: Self.shortTermKey, fingerprint: true, padding: 0x20)
        #expect(try message.encode(options).bytes == Self.sampleRequest)
    }

    @Test(arguments: [
        (ipv4Response, TransportAddress("192.0.2.1:32853")!),
        (ipv6Response, TransportAddress("[2001:db8:1234:5678:11:2233:4455:6677]:32853")!),
    ])
    func responseRoundTrips(bytes: [UInt8], mapped: TransportAddress) throws {
        let decoded = try STUNMessage.decode(ByteBuffer(bytes: bytes))
        #expect(decoded.message.type == MessageType(.binding, .successResponse))
        #expect(decoded.message.software == "test vector")
        #expect(decoded.message.xorMappedAddress == mapped)
        try decoded.verifyMessageIntegrity(key: Self.shortTermKey)

        let message = STUNMessage(
            type: MessageType(.binding, .successResponse), transactionID: Self.transactionID,
            attributes: [.software("test vector"), .xorMappedAddress(mapped)])
        let options = EncodingOptions(messageIntegrityKey: Self.shortTermKey, fingerprint: true, padding: 0x20)
        #expect(try message.encode(options).bytes == bytes)
    }

    @Test func longTermRequestRoundTrips() throws {
        let username = "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}"
        let password = "The\u{00AD}M\u{00AA}tr\u{2168}"
        #expect(try SASLprep.prepare(password) == "TheMatrIX")
        #expect(try SASLprep.prepare(username) == username)
        let key = try LongTermCredentials.key(
            username: username, realm: "example.org", password: password, algorithm: .md5)
        #expect(key == hexBytes("e8ca7ad59d5eb0518e312911d2dab2a9"))

        let decoded = try STUNMessage.decode(ByteBuffer(bytes: Self.longTermRequest))
        #expect(decoded.message.username == username)
        #expect(decoded.message.nonce == "f//499k954d6OL34oL9FSTvy64sA")
        #expect(decoded.message.realm == "example.org")
        try decoded.verifyMessageIntegrity(key: key)

        let message = STUNMessage(
            type: MessageType(.binding, .request),
            transactionID: TransactionID(bytes: hexBytes("78ad3433c6ad72c029da412e"))!,
            attributes: [.username(username), .nonce("f//499k954d6OL34oL9FSTvy64sA"), .realm("example.org")])
        #expect(try message.encode(EncodingOptions(messageIntegrityKey: key)).bytes == Self.longTermRequest)
    }
}
