/// An XDP program attached to an interface, for `turnpike_xdp_attached`.
public struct XDPAttachment: Hashable, Sendable {
    public var interface: String
    /// "native" or "generic".
    public var mode: String

    public init(interface: String, mode: String) {
        self.interface = interface
        self.mode = mode
    }
}
