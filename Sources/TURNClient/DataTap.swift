import NIOConcurrencyHelpers
import NIOCore
import STUNWire

/// An optional receiver of ChannelData that bypasses the client's mailbox.
final class DataTap: Sendable {
    private let observer = NIOLockedValueBox<(@Sendable (ChannelNumber, ByteBuffer) -> Void)?>(nil)

    func set(_ observer: @escaping @Sendable (ChannelNumber, ByteBuffer) -> Void) {
        self.observer.withLockedValue { $0 = observer }
    }

    /// True when an observer took the payload.
    func deliver(_ channel: ChannelNumber, _ payload: ByteBuffer) -> Bool {
        guard let observer = observer.withLockedValue({ $0 }) else { return false }
        observer(channel, payload)
        return true
    }
}
