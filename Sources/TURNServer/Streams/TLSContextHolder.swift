import NIOConcurrencyHelpers
import NIOSSL

/// The TLS server context new connections are accepted with; replaced on reload (SIGHUP), so a
/// renewed certificate applies to the next handshake while open connections keep theirs.
final class TLSContextHolder: Sendable {
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
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ServerStartError("TLS certificate \(tls.certificatePath) and key \(tls.privateKeyPath) do not work together: \(error)")
        }
    }
}
