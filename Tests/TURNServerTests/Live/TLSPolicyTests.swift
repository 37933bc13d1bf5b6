import NIOCore
import NIOSSL
import Testing
@testable import TURNServer

/// The TLS listeners' protocol versions and TLS 1.2 suites, by handshakes from clients limited
/// to one version or suite: TLS 1.2 and 1.3 only; in TLS 1.2, ECDHE with AEAD only.
@Suite struct TLSPolicyTests {
    @Test func versionsBelowTLS12AreRefusedAndTLS12And13Complete() async throws {
        let live = try await LiveServer.start(LiveServer.configuration(tls: try makeSelfSignedCertificate()))
        let server = live.address(.tls)
        do {
            #expect(try await TLSHandshake.completes(with: server, group: live.clients) { $0.minimumTLSVersion = .tlsv13 })
            #expect(try await TLSHandshake.completes(with: server, group: live.clients) { $0.maximumTLSVersion = .tlsv12 })
            #expect(try await !TLSHandshake.completes(with: server, group: live.clients) {
                $0.minimumTLSVersion = .tlsv1
                $0.maximumTLSVersion = .tlsv11
            })
            // TLS 1.2 with an ECDSA certificate: ECDHE-ECDSA with GCM, not with CBC.
            #expect(try await TLSHandshake.completes(with: server, group: live.clients) {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
            })
            #expect(try await !TLSHandshake.completes(with: server, group: live.clients) {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA]
            })
            #expect(live.server.streamStatistics.closes(.tlsFailure) >= 1)
        } catch {
            Issue.record(error)
        }
        await live.stop()
    }

    @Test func withAnRSACertificateStaticRSAAndCBCAreRefused() async throws {
        let live = try await LiveServer.start(LiveServer.configuration(tls: try makeSelfSignedCertificate(rsa: true)))
        let server = live.address(.tls)
        do {
            #expect(try await TLSHandshake.completes(with: server, group: live.clients) {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
            })
            #expect(try await TLSHandshake.completes(with: server, group: live.clients) {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]
            })
            // Static RSA key exchange (no forward secrecy), even with GCM.
            #expect(try await !TLSHandshake.completes(with: server, group: live.clients) {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_RSA_WITH_AES_128_GCM_SHA256, .TLS_RSA_WITH_AES_256_GCM_SHA384]
            })
            #expect(try await !TLSHandshake.completes(with: server, group: live.clients) {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA]
            })
            // And a TURN client over TLS still allocates.
            let client = try await live.client(.tls)
            _ = try await client.allocate()
            await client.close()
        } catch {
            Issue.record(error)
        }
        await live.stop()
    }
}
