import STUNWire

extension SharedSecretUsername {
    /// Mints a credential the server's `CredentialStore` accepts until `expiry` (Unix seconds):
    /// username `<expiry>:<user>`, password base64(HMAC-SHA1(secret, username)).
    public static func mint(user: String, expiry: UInt64, secret: [UInt8]) -> (username: String, password: String) {
        let username = "\(expiry):\(user)"
        return (username, password(username: username, secret: secret))
    }
}
