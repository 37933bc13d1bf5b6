import TURNCore

extension RelayWorker {
    /// A reload on this worker's loop: the core takes `configuration`, then what it ends at once
    /// (allocations whose credential was removed, permissions and channels the peer policy now
    /// refuses) is carried out: routes removed, relay sockets closed, events logged and counted.
    func reload(_ configuration: RelayConfiguration) {
        let now = ServerClock.now()
        core.reload(configuration)
        runActions(now)
        flushPending()
    }
}
