import Logging
import NIOCore
import TURNCore

extension TURNServer {
    /// SIGTERM/SIGINT: every core refuses new Allocates (300 with ALTERNATE-SERVER when one is
    /// configured, else 403; RFC 8489 §10), existing allocations go on. Returns when the last
    /// allocation has ended or the drain deadline has passed, whichever is first.
    public func drain() async {
        await beginDrain()
        await waitForDrain()
    }

    /// The first half of `drain()`: refuse new allocations everywhere and start the deadline.
    public func beginDrain() async {
        let (workers, deadline) = lock.withLock { (self.workers, _configuration.drain.deadline) }
        // Already draining (the admin API's drain, then SIGTERM): the first drain's deadline stands.
        guard let first = workers.first, !state.isDraining else { return }
        for worker in workers {
            try? await worker.eventLoop.submit { worker.core.draining = true }.get()
        }
        let promise = first.eventLoop.makePromise(of: Void.self)
        let state = self.state
        let timer = first.eventLoop.scheduleTask(in: TimeAmount(deadline)) { state.finishDrain() }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        lock.withLock { drainFuture = promise.futureResult }
        logger.notice("draining: new allocations are refused", metadata: [
            "allocations": .string("\(state.liveAllocations)"), "deadline": .string("\(deadline)"),
        ])
        state.startDrain(promise)
    }

    /// The second half of `drain()`. Cancelling the waiting task ends the drain at once (the
    /// service group's cancellation signal, SIGQUIT in `turnpike serve`).
    public func waitForDrain() async {
        let future = lock.withLock { drainFuture }
        let state = self.state
        await withTaskCancellationHandler {
            try? await future?.get()
        } onCancel: {
            state.finishDrain()
        }
        let left = state.liveAllocations
        if left > 0 {
            logger.notice("drain deadline passed", metadata: ["allocations": .string("\(left)")])
        } else {
            logger.notice("drained: no allocation left")
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        self = .nanoseconds(Int64(clamping: duration.nanosecondsClamped))
    }
}
