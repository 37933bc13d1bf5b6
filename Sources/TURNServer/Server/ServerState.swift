import NIOConcurrencyHelpers
import NIOCore

/// What the workers share with the server object: the live allocation count (to know when a
/// drain is complete) and the drain itself. Lock-protected; touched per allocation, never per
/// packet.
final class ServerState: Sendable {
    private struct Values {
        var liveAllocations = 0
        var draining = false
        var drained: EventLoopPromise<Void>?
    }

    private let values = NIOLockedValueBox(Values())

    var liveAllocations: Int { values.withLockedValue { $0.liveAllocations } }
    var isDraining: Bool { values.withLockedValue { $0.draining } }

    func allocationCreated() {
        values.withLockedValue { $0.liveAllocations += 1 }
    }

    func allocationEnded() {
        let promise: EventLoopPromise<Void>? = values.withLockedValue { values in
            values.liveAllocations -= 1
            guard values.draining, values.liveAllocations <= 0 else { return nil }
            defer { values.drained = nil }
            return values.drained
        }
        promise?.succeed()
    }

    /// Starts the drain; `promise` completes when the last allocation ends (at once if none is
    /// left) or when `finishDrain` is called at the deadline.
    func startDrain(_ promise: EventLoopPromise<Void>) {
        let complete: Bool = values.withLockedValue { values in
            values.draining = true
            if values.liveAllocations <= 0 { return true }
            values.drained = promise
            return false
        }
        if complete { promise.succeed() }
    }

    /// The drain deadline passed: complete the drain whatever is left.
    func finishDrain() {
        let promise = values.withLockedValue { values in
            defer { values.drained = nil }
            return values.drained
        }
        promise?.succeed()
    }
}
