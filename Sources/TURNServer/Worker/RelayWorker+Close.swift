import NIOCore

extension RelayWorker {
    /// Server shutdown: every socket of this loop closes and the timer stops. Allocations end
    /// with the process; the core is not consulted any more.
    func close() {
        stopped = true
        timer?.cancel()
        timer = nil
        for outlet in datagramListeners { outlet.channel.close(promise: nil) }
        for outlet in streamListeners { outlet.channel.close(promise: nil) }
        for outlet in streams.values { outlet.channel.close(promise: nil) }
        for outlet in relaySockets.values { outlet.channel.close(promise: nil) }
        datagramListeners = []
        streamListeners = []
        streams = [:]
        relaySockets = [:]
        pendingFlush = []
    }
}
