import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import TURNServer

/// The HTTP endpoint against a slow-loris: connections without a complete request are closed
/// after the idle timeout, and beyond the connection limit nothing more is accepted, so a
/// client holding connections open cannot pile up descriptors.
@Suite struct MetricsEndpointLimitTests {
    /// A blocking TCP socket to 127.0.0.1.
    final class Connection: @unchecked Sendable {
        let descriptor: Int32

        init?(port: UInt16) {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(descriptor)
                return nil
            }
        }

        deinit { close(descriptor) }

        @discardableResult
        func send(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
        }

        /// Reads until `text` has arrived (true) or the connection ends or times out (false).
        func read(until text: String) -> Bool {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: received, as: UTF8.self).contains(text) {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return false }
                received += buffer[..<count]
            }
            return true
        }

        /// Whether the server has closed it, without blocking: the end of the stream is waiting,
        /// or a reset (the server closed with unread bytes of ours, as it does to a trickler).
        var closedByServer: Bool {
            var byte: UInt8 = 0
            let count = recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT))
            return count == 0 || (count < 0 && errno == ECONNRESET)
        }

        /// Waits (up to the receive timeout) for the server to close it.
        func waitForClose() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count > 0 { continue }
                return count == 0 || errno == ECONNRESET
            }
        }
    }

    @Test func idleConnectionsAreClosedAndTheLimitHoldsTheRestBack() async throws {
        let ops = try await OperationsServer.start(adjustHTTP: {
            $0.connectionLimit = 2
            $0.idleTimeout = .seconds(1)
        })
        let port = ops.httpPort
        let keepAlive = "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
        // Two connections, each answered once (so accepted), then one goes quiet and the other
        // trickles a request it never finishes.
        let quiet = try #require(Connection(port: port))
        #expect(quiet.send(keepAlive) && quiet.read(until: "ok\n"))
        let loris = try #require(Connection(port: port))
        #expect(loris.send(keepAlive) && loris.read(until: "ok\n"))
        #expect(loris.send("GET /metrics HTTP/1.1\r\nHost: test\r\nX-Pad: "))
        let trickle = Task {
            await offPool {
                for _ in 0..<80 where loris.send("a") { usleep(100_000) }
            }
        }
        // A third connection is not accepted while those two are open; once the idle timeout
        // has closed one, it is, and gets its answer.
        let third = try #require(Connection(port: port))
        let answered = await offPool { third.send("GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n") && third.read(until: "ok\n") }
        #expect(answered)
        #expect(quiet.closedByServer || loris.closedByServer)
        // Both are closed: trickling bytes of a request does not keep a connection.
        #expect(await offPool { quiet.waitForClose() })
        #expect(await offPool { loris.waitForClose() })
        trickle.cancel()
        _ = await trickle.value
        await ops.stop()
    }
}
