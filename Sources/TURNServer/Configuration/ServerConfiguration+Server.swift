extension ServerConfiguration {
    /// Process-wide settings: threads, socket buffers and the SOFTWARE attribute.
    public struct Server: Hashable, Sendable {
        public var eventLoops: EventLoopCount
        /// SO_RCVBUF / SO_SNDBUF for relay and listener sockets; 0 leaves the kernel default.
        public var receiveBufferBytes: UInt64
        public var sendBufferBytes: UInt64
        /// RFC 8489 §14.14 SOFTWARE text; nil (the default) sends no SOFTWARE attribute, so the
        /// server does not advertise its version to scanners.
        public var software: String?

        public init(eventLoops: EventLoopCount, receiveBufferBytes: UInt64, sendBufferBytes: UInt64, software: String?) {
            self.eventLoops = eventLoops
            self.receiveBufferBytes = receiveBufferBytes
            self.sendBufferBytes = sendBufferBytes
            self.software = software
        }
    }

    /// How many event loops (each with its own core instance) the server runs.
    public enum EventLoopCount: Hashable, Sendable {
        /// One per CPU core.
        case perCore
        case fixed(Int)

        public func resolved(cores: Int) -> Int {
            switch self {
            case .perCore: max(1, cores)
            case .fixed(let count): count
            }
        }
    }
}
