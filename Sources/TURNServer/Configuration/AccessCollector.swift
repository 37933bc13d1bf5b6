import Configuration
import Synchronization

/// Keeps the last access event swift-configuration reported, so the loader can tell a missing
/// value from one a provider could not convert (a YAML list where one value was expected), and
/// name the source that supplied a value. `ConfigReader`'s non-throwing getters return nil in
/// both cases; the access event is where the difference is visible.
final class AccessCollector: AccessReporter, Sendable {
    private let last = Mutex<AccessEvent?>(nil)

    func report(_ event: AccessEvent) {
        last.withLock { $0 = event }
    }

    /// The event of the most recent read, cleared so the next read starts fresh.
    func take() -> AccessEvent? {
        last.withLock { event in
            defer { event = nil }
            return event
        }
    }
}
