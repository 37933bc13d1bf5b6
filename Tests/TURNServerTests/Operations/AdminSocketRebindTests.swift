import Foundation
import Testing
@testable import TURNServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The admin socket file deleted while the server runs: the API is unreachable until the next
/// reload (SIGHUP) binds the socket again, with its mode; a reload with the file in place leaves
/// the socket alone.
@Suite(.serialized) struct AdminSocketRebindTests {
    @Test func aReloadBindsADeletedSocketAgain() async throws {
        let ops = try await OperationsServer.start()
        #expect(await PlainHTTP.unix(ops.adminSocket, "GET", "/v1/stats")?.status == 200)
        #expect(unlink(ops.adminSocket) == 0)
        #expect(await PlainHTTP.unix(ops.adminSocket, "GET", "/v1/stats") == nil)

        await ops.live.server.reload()
        #expect(try await Self.answers(ops.adminSocket))
        var info = stat()
        #expect(lstat(ops.adminSocket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        await ops.stop()
        #expect(access(ops.adminSocket, F_OK) != 0)
    }

    /// The socket's directory deleted too (e.g. /run/turnpike cleaned): the reload makes it again.
    @Test func aReloadMakesADeletedDirectoryAgain() async throws {
        let ops = try await OperationsServer.start()
        let directory = (ops.adminSocket as NSString).deletingLastPathComponent
        try FileManager.default.removeItem(atPath: directory)
        await ops.live.server.reload()
        #expect(try await Self.answers(ops.adminSocket))
        await ops.stop()
    }

    @Test func aReloadLeavesAnIntactSocketAlone() async throws {
        let ops = try await OperationsServer.start()
        let before = try #require(AdminSocketFile.identity(ops.adminSocket))
        await ops.live.server.reload()
        try await Task.sleep(for: .milliseconds(200))
        #expect(AdminSocketFile.identity(ops.adminSocket) == before)
        #expect(await PlainHTTP.unix(ops.adminSocket, "GET", "/v1/stats")?.status == 200)
        await ops.stop()
    }

    @Test func socketFileStates() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-sock-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("admin.sock").path
        let ours = AdminSocketFile.Identity(device: 0, inode: 0)
        #expect(AdminSocketFile.check(path, ours: ours) == .missing)
        #expect(FileManager.default.createFile(atPath: path, contents: Data("not a socket".utf8)))
        #expect(AdminSocketFile.check(path, ours: ours) == .foreign)
        let identity = try #require(AdminSocketFile.identity(path))
        #expect(AdminSocketFile.check(path, ours: identity) == .ours)
    }

    /// Polls (at most 5 s): the rebind happens on the service's task after the reload returns.
    static func answers(_ socket: String) async throws -> Bool {
        for _ in 0..<100 {
            if await PlainHTTP.unix(socket, "GET", "/v1/stats")?.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
