/// How to attach the program to an interface, as configured (`xdp: off | auto | native | generic`).
public enum XDPAttachMode: String, Hashable, Sendable, CaseIterable {
    /// Do not attach; userspace relays everything.
    case off
    /// Native, and generic when the driver refuses native.
    case auto
    /// In the driver (XDP_FLAGS_DRV_MODE); fails when the driver has no XDP support.
    case native
    /// In the kernel's generic receive path (XDP_FLAGS_SKB_MODE); works everywhere, slower.
    case generic
}

/// An attachment that succeeded: where, in which mode, and why native was not used when `auto`
/// fell back to generic (for the log line).
public struct XDPAttachment: Hashable, Sendable {
    public enum Mode: String, Hashable, Sendable {
        case native
        case generic
    }

    public var interface: String
    public var interfaceIndex: UInt32
    public var mode: Mode
    /// Set when `auto` tried native first and the kernel refused it.
    public var nativeFailure: XDPError?
    /// The kernel's id of the BPF link that holds the attachment (`bpftool link show id N`), 0
    /// when the kernel did not say.
    public var linkID: UInt32

    public init(interface: String, interfaceIndex: UInt32, mode: Mode, nativeFailure: XDPError? = nil, linkID: UInt32 = 0) {
        self.interface = interface
        self.interfaceIndex = interfaceIndex
        self.mode = mode
        self.nativeFailure = nativeFailure
        self.linkID = linkID
    }
}
