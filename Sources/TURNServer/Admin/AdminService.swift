import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
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

    /// Serves until graceful shutdown. Each reload (SIGHUP) checks the socket file: deleted, or
    /// replaced by a socket nobody listens on, it is bound again (same path and mode).
    public func run() async throws {
        try Self.prepareDirectory(for: path)
        try Self.removeStaleSocket(at: path)
        let bound = NIOLockedValueBox<AdminSocketFile.Identity?>(nil)
        let (rebinds, requestRebind) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        defer { requestRebind.finish() }
        let (path, logger) = (self.path, self.logger)
        server.onReload {
            guard let ours = bound.withLockedValue({ $0 }) else { return }
            switch AdminSocketFile.check(path, ours: ours) {
            case .ours:
                break
            case .missing, .stale:
                logger.notice("admin socket file gone; binding it again", metadata: ["socket": .string(path)])
                requestRebind.yield()
            case .foreign:
                logger.error("admin socket path is taken by something else; not bound again", metadata: ["socket": .string(path)])
            }
        }
        defer {
            // Only our own socket file; a path someone else took is left alone.
            if let ours = bound.withLockedValue({ $0 }), AdminSocketFile.check(path, ours: ours) == .ours { unlink(path) }
        }
        // The first socket's errors end the service, as at startup; a later one's are logged and
        // the next reload tries again (the relay never stops for the admin socket).
        var rebind = try await serveUntilRebind(bound: bound, rebinds: rebinds)
        while rebind {
            do {
                try Self.prepareDirectory(for: path)
                try Self.removeStaleSocket(at: path)
                rebind = try await serveUntilRebind(bound: bound, rebinds: rebinds)
            } catch {
                logger.error("admin socket cannot be bound again; the next reload tries again", metadata: [
                    "socket": .string(path), "error": .string("\(error)"),
                ])
                rebind = false
                for await _ in rebinds.cancelOnGracefulShutdown() {
                    rebind = true
                    break
                }
            }
        }
    }

    /// One listening socket's life: returns true when a reload asked for a new one (this one was
    /// shut down), false at graceful shutdown.
    private func serveUntilRebind(
        bound: NIOLockedValueBox<AdminSocketFile.Identity?>, rebinds: AsyncStream<Void>
    ) async throws -> Bool {
        let (path, mode, logger, onRunning) = (self.path, self.mode, self.logger, self.onRunning)
        let application = Application(
            router: AdminRoutes(server: server, logger: logger).router(),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: path), serverName: "turnpike-admin"),
            onServerRunning: { _ in
                // The socket file is created by bind with the process umask; narrowed at once.
                if chmod(path, mode_t(mode)) != 0 {
                    logger.error("admin socket: chmod failed", metadata: ["path": .string(path), "errno": .string("\(errno)")])
                }
                bound.withLockedValue { $0 = AdminSocketFile.identity(path) }
                logger.notice("admin API listening", metadata: ["socket": .string(path), "mode": .string(String(mode, radix: 8))])
                await onRunning()
            },
            logger: logger)
        // A group of its own, so that a rebind shuts this socket down without the process's
        // graceful shutdown; that one still reaches it (ServiceGroups nest).
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
        return try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return false
            }
            tasks.addTask {
                for await _ in rebinds {
                    await group.triggerGracefulShutdown()
                    return true
                }
                return false
            }
            let first = try await tasks.next() ?? false
            if first {
                _ = try await tasks.next()
            } else {
                tasks.cancelAll()
            }
            return first
        }
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
