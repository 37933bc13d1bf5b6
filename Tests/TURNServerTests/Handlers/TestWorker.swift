import Logging
import NIOCore
import TURNCore
@testable import TURNServer

/// A `RelayWorker` with a real core (the development configuration) on `loop`, for handler tests
/// on an `EmbeddedChannel`.
enum TestWorker {
    static func make(on loop: any EventLoop) throws -> RelayWorker {
        var random = SeededGenerator(state: 3)
        let configuration = ServerConfiguration.development(random: &random)
        let quota = ServerQuota(configuration)
        let core = RelayCore(
            configuration: try configuration.relayConfiguration(
                worker: 0, of: 1, sharedQuota: quota, usernameFailures: quota.usernameFailures, bound: configuration.listeners),
            random: RelayRandom(seed: 5), now: ServerClock.now())
        return RelayWorker(
            index: 0, eventLoop: loop, core: core, logger: Logger(label: "handler-test") { _ in SwiftLogNoOpLogHandler() },
            routeSink: UserspaceRouteSink(), state: ServerState(), tuning: SocketTuning(receiveBufferBytes: 0, sendBufferBytes: 0))
    }
}
