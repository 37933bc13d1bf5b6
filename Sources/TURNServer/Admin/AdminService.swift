import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The admin API: HTTP+JSON on a Unix socket (`admin.socket`, mode `admin.mode`, 0600 by
/// default), so only the server's user (or group, with 0660) can steer it. Routes:
///
///     GET    /v1/allocations?user=&client=&peer=&min-age=&family=&transport=
///     GET    /v1/allocations/{id}
///     DELETE /v1/allocations/{id}
///     DELETE /v1/allocations?user=U
///     GET    /v1/stats
///     POST   /v1/drain
///     POST   /v1/reload
public struct AdminService: Service {
    let server: TURNServer
    let path: String
    let mode: UInt16
    let logger: Logger
    let onRunning: @Sendable () async -> Void

    public init(server: TURNServer, path: String, mode: UInt16, logger: Logger, onRunning: @escaping @Sendable () async -> Void = {}) {
        self.server = server
        self.path = path
        self.mode = mode
        self.logger = logger
        self.onRunning = onRunning
    }

    public func run() async throws {
        try Self.prepareDirectory(for: path)
        try Self.removeStaleSocket(at: path)
        let (path, mode, logger, onRunning) = (self.path, self.mode, self.logger, self.onRunning)
        let application = Application(
            router: AdminRoutes(server: server, logger: logger).router(),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: path), serverName: "turnpike-admin"),
            onServerRunning: { _ in
                // The socket file is created by bind with the process umask; narrowed at once.
                if chmod(path, mode_t(mode)) != 0 {
                    logger.error("admin socket: chmod failed", metadata: ["path": .string(path), "errno": .string("\(errno)")])
                }
                logger.notice("admin API listening", metadata: ["socket": .string(path), "mode": .string(String(mode, radix: 8))])
                await onRunning()
            },
            logger: logger)
        defer { unlink(path) }
        try await application.run()
    }

    /// Creates the socket's directory (mode 0750) when it is missing, e.g. /run/turnpike outside
    /// systemd's RuntimeDirectory.
    static func prepareDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: directoryMode])
        } catch {
            throw AdminError(error: "cannot create the admin socket directory \(directory): \(error.localizedDescription)")
        }
    }

    static let directoryMode = 0o750

    /// A socket file left by a process that is gone is removed; a live one (something accepts
    /// on it) or a file that is not a socket is an error.
    static func removeStaleSocket(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw AdminError(error: "\(path) exists and is not a socket")
        }
        if AdminSocketProbe.isListening(path) {
            throw AdminError(error: "another server is listening on \(path)")
        }
        unlink(path)
    }
}
