/// One allocation's relayed traffic and its current rate: bytes counted in windows of
/// `window`; the rate is the last full window's, or zero once the allocation has been idle for
/// longer than a window.
struct TrafficMeter: Sendable {
    static let window = Duration.seconds(1)

    var counters = TrafficCounters()
    var windowStart: Instant
    var windowBytes: UInt64 = 0
    var lastWindowBytesPerSecond: UInt64 = 0

    init(now: Instant) {
        windowStart = now
    }

    mutating func record(_ direction: TrafficDirection, bytes: Int, now: Instant) {
        counters.record(direction, bytes: bytes)
        let elapsed = now.since(windowStart)
        if elapsed >= Self.window {
            lastWindowBytesPerSecond = elapsed < Self.window * 2 ? Self.perSecond(windowBytes, over: elapsed) : 0
            windowStart = now
            windowBytes = 0
        }
        windowBytes &+= UInt64(bytes)
    }

    /// Bytes per second, both directions together.
    func rate(at now: Instant) -> UInt64 {
        let elapsed = now.since(windowStart)
        if elapsed < Self.window { return lastWindowBytesPerSecond }
        return elapsed < Self.window * 2 ? Self.perSecond(windowBytes, over: elapsed) : 0
    }

    private static func perSecond(_ bytes: UInt64, over elapsed: Duration) -> UInt64 {
        let nanoseconds = max(elapsed.nanosecondsClamped, 1)
        return UInt64((Double(bytes) * 1e9 / Double(nanoseconds)).rounded())
    }
}
