import NIOConcurrencyHelpers
import NIOSSL

/// The TLS server context new connections are accepted with; replaced on reload (SIGHUP), so a
/// renewed certificate applies to the next handshake while open connections keep theirs.
final class TLSContextHolder: Sendable {
    /// TLS 1.2 at least (RFC 8996 deprecates 1.0 and 1.1; RFC 9325 §3.1.1); TLS 1.3 stays
    /// enabled, with its own fixed suites.
    static let minimumVersion = TLSVersion.tlsv12

    /// The TLS 1.2 suites offered: ephemeral ECDH key exchange (forward secrecy, no static RSA)
    /// with AEAD ciphers only (no CBC), the suites RFC 9325 §4.2 recommends; ECDSA and RSA certificates
    /// both work.
    static let cipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// The server's TLS settings for this certificate chain and key.
    static func serverConfiguration(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = minimumVersion
        configuration.cipherSuiteValues = cipherSuites
        return configuration
    }

    private let box: NIOLockedValueBox<NIOSSLContext>

    init(_ context: NIOSSLContext) {
        box = NIOLockedValueBox(context)
    }

    var current: NIOSSLContext { box.withLockedValue { $0 } }

    func replace(with context: NIOSSLContext) {
        box.withLockedValue { $0 = context }
    }

    /// Reads a PEM certificate chain and private key; throws `ServerStartError` naming the file.
    static func load(_ tls: ServerConfiguration.TLS) throws(ServerStartError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath)
        } catch {
            throw ServerStartError("cannot load TLS certificate \(tls.certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw ServerStartError("no certificate in \(tls.certificatePath)") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
        } catch {
            throw ServerStartError("cannot load TLS private key \(tls.privateKeyPath): \(error)")
        }
        let configuration = serverConfiguration(chain: chain, key: key)
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ServerStartError("TLS certificate \(tls.certificatePath) and key \(tls.privateKeyPath) do not work together: \(error)")
        }
    }
}
