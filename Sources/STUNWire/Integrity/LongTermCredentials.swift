/// Long-term credential computations of RFC 8489 §9.2.2 and §14.4.
public enum LongTermCredentials {
    /// The key for MESSAGE-INTEGRITY (MD5) or MESSAGE-INTEGRITY-SHA256 (SHA-256):
    /// the digest of `username ":" realm ":" password`, with realm and password prepared by
    /// SASLprep. The username is used as carried in USERNAME.
    public static func key(
        username: String, realm: String, password: String, algorithm: PasswordAlgorithm
    ) throws(WireError) -> [UInt8] {
        let input = Array("\(username):\(try SASLprep.prepare(realm)):\(try SASLprep.prepare(password))".utf8)
        switch algorithm.number {
        case PasswordAlgorithm.md5.number: return MD5Digest.hash(input)
        case PasswordAlgorithm.sha256.number: return SHA256Digest.hash(input)
        default: throw WireError(.invalidAttributeValue, attribute: .passwordAlgorithm, "\(algorithm)")
        }
    }

    /// RFC 8489 §14.4: USERHASH is SHA-256 of `username ":" realm`.
    public static func userhash(username: String, realm: String) throws(WireError) -> [UInt8] {
        SHA256Digest.hash(Array("\(try SASLprep.prepare(username)):\(try SASLprep.prepare(realm))".utf8))
    }
}
