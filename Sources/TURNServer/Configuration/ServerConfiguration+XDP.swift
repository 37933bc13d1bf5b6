extension ServerConfiguration {
    /// The kernel fast path.
    public struct XDP: Hashable, Sendable {
        public var mode: XDPMode
        /// Interfaces to attach to; empty with `auto` means the interfaces of the listen addresses.
        public var interfaces: [String]

        public init(mode: XDPMode, interfaces: [String]) {
            self.mode = mode
            self.interfaces = interfaces
        }
    }

    public enum XDPMode: String, Hashable, Sendable, CaseIterable {
        /// Userspace only.
        case off
        /// Native where the driver supports it, else generic, else userspace with a log line.
        case auto
        /// Driver mode only; failing to attach is an error.
        case native
        /// Generic (skb) mode only; failing to attach is an error.
        case generic
    }
}
