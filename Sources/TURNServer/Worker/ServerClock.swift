import NIOCore
import TURNCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The shell's clocks, injected into the core with every input: NIO's monotonic uptime (the
/// same clock as `NIODeadline`, so a core deadline schedules a task directly) and wall-clock
/// Unix seconds for shared-secret expiry.
enum ServerClock {
    static func now() -> Now {
        Now(monotonic: Instant(nanoseconds: NIODeadline.now().uptimeNanoseconds), unixSeconds: UInt64(max(0, time(nil))))
    }

    static func deadline(_ instant: Instant) -> NIODeadline {
        .uptimeNanoseconds(instant.nanoseconds)
    }
}
