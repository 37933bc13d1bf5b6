extension ServerConfiguration {
    /// The admin API's Unix socket.
    public struct Admin: Hashable, Sendable {
        public var socketPath: String
        /// Permission bits of the socket file (`0600` by default).
        public var socketMode: UInt16

        public init(socketPath: String, socketMode: UInt16) {
            self.socketPath = socketPath
            self.socketMode = socketMode
        }
    }
}
