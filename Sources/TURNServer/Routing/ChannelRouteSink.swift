import TURNCore

/// Where the shell sends the core's fast-path instructions (DESIGN.md, "Kernel fast path"): the
/// XDP module implements this to keep its BPF maps in sync. Called on the owning event loop,
/// in the order the core emits them: an install before the ChannelBind success response goes
/// out, a removal when the channel, its permission or its allocation ends.
public protocol ChannelRouteSink: Sendable {
    func install(_ route: ChannelRoute)
    func remove(_ route: ChannelRoute)
}

/// The userspace-only datapath: every bound channel is relayed by the worker itself, so there
/// is nothing to keep in sync and nothing is recorded.
public struct UserspaceRouteSink: ChannelRouteSink {
    public init() {}
    public func install(_ route: ChannelRoute) {}
    public func remove(_ route: ChannelRoute) {}
}
