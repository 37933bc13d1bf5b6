extension ServerConfiguration {
    /// PEM files for the TLS listeners; re-read on reload.
    public struct TLS: Hashable, Sendable {
        public var certificatePath: String
        public var privateKeyPath: String

        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }
}
