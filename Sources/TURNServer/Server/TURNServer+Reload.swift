import Logging
import NIOCore
import NIOSSL
import TURNCore

extension TURNServer {
    /// SIGHUP: re-reads the configuration sources. A valid result replaces users, secrets, the
    /// nonce key, peer policy, quotas, lifetimes, drain settings, stream limits and the TLS
    /// certificate without touching any allocation; an invalid one is logged and the running
    /// configuration stays. Returns whether the new configuration took effect.
    @discardableResult
    public func reload() async -> Bool {
        for hook in lock.withLock({ reloadHooks }) { await hook() }
        guard let sources else {
            logger.notice("reload: the development default has no file to re-read; nothing changed")
            return false
        }
        switch ServerConfiguration.reload(from: sources, current: configuration) {
        case .failure(let errors):
            metrics.recordReload(applied: false)
            logger.error("reload rejected, the running configuration stays: \(errors.errors.map(\.description).joined(separator: "; "))")
            return false
        case .success(let reload):
            for warning in reload.warnings { logger.warning("reload: \(warning)") }
            do {
                try await apply(reload.configuration)
            } catch {
                metrics.recordReload(applied: false)
                logger.error("reload rejected, the running configuration stays: \(error)")
                return false
            }
            metrics.recordReload(applied: true)
            logger.notice("configuration reloaded", metadata: [
                "changed": .string(reload.applied.map(\.rawValue).joined(separator: ",")),
            ])
            return true
        }
    }

    /// Adds work to do at every reload, before the configuration is re-read: the admin API binds
    /// its socket again there when the file was deleted.
    public func onReload(_ hook: @escaping @Sendable () async -> Void) {
        lock.withLock { reloadHooks.append(hook) }
    }

    /// Switches to `next` (already validated; restart-only groups equal to the running ones).
    /// The TLS files are loaded first, so a bad certificate rejects the whole reload.
    public func apply(_ next: ServerConfiguration) async throws(ServerStartError) {
        let holder = lock.withLock { tlsContext }
        var context: NIOSSLContext?
        if holder != nil, let files = next.tls {
            context = try TLSContextHolder.load(files)
        }
        try await reconfigureWorkers(next)
        connections.setLimit(next.streams.maxConnections)
        sourceConnections.setLimit(next.streams.maxConnectionsPerSource)
        if let holder, let context { holder.replace(with: context) }
        lock.withLock {
            _configuration = next
            var limits = StreamLimits(next.streams)
            limits.stallTimeout = streamLimits.stallTimeout
            streamLimits = limits
        }
    }
}
