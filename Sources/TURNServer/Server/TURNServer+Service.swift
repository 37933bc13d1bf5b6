import ServiceLifecycle

extension TURNServer: Service {
    /// Runs until graceful shutdown (SIGTERM/SIGINT through the `ServiceGroup`), then drains
    /// and stops. Cancellation stops at once.
    public func run() async throws {
        if !lock.withLock({ started }) {
            try await start()
        }
        do {
            try await gracefulShutdown()
        } catch {
            await stop()
            return
        }
        await drain()
        await stop()
    }
}
