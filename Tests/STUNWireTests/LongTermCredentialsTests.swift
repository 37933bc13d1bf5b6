import Testing
@testable import STUNWire

/// RFC 8489 §9.2.2, §14.4, §18.5. Expected values computed independently with Python's hashlib,
/// e.g. `hashlib.md5(b"alice:example.org:s3cret").hexdigest()`.
@Suite struct LongTermCredentialsTests {
    @Test(arguments: [
        ("alice", "example.org", "s3cret", PasswordAlgorithm.md5, "8b83b40c22906c0c67a3c5bcc491bc14"),
        ("alice", "example.org", "s3cret", .sha256, "f22052fea8541d9a84dc48aa41b20e65023c376e463bc39e716fac6e0f0f7a5f"),
        ("user", "realm", "pass", .md5, "8493fbc53ba582fb4c044c456bdc40eb"),
        ("user", "realm", "pass", .sha256, "07e934117abd40836e7c6329b54731b2b2d2a5f9a71f544922d75e0730d8251b"),
    ])
    func key(username: String, realm: String, password: String, algorithm: PasswordAlgorithm, hex: String) throws {
        let key = try LongTermCredentials.key(username: username, realm: realm, password: password, algorithm: algorithm)
        #expect(key == hexBytes(hex))
    }

    @Test func userhash() throws {
        #expect(try LongTermCredentials.userhash(username: "alice", realm: "example.org")
            == hexBytes("435b7933096a304d3c734cfb833ec9075bd47ab1c0160321aed31c06a8c7009e"))
    }

    @Test func unknownAlgorithmIsRejected() {
        #expect(throws: WireError(.invalidAttributeValue)) {
            try LongTermCredentials.key(username: "a", realm: "b", password: "c", algorithm: PasswordAlgorithm(number: 3))
        }
    }

    @Test func prohibitedPasswordIsRejected() {
        #expect(throws: WireError(.prohibitedCharacter)) {
            try LongTermCredentials.key(username: "a", realm: "b", password: "bell\u{0007}", algorithm: .sha256)
        }
    }
}
