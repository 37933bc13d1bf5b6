#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP

/// An XDP BPF link as the kernel lists it: how `XDPProgram.attach` attaches. A link lives as long
/// as a file descriptor refers to it, so the program leaves the interface when the process that
/// attached it exits, however it exits. Netlink cannot remove or replace it (EBUSY); it is removed
/// from outside with BPF_LINK_DETACH (`bpftool link detach id N`), after which it is defunct
/// (interface index 0) until its owner closes it.
public struct XDPLink: Hashable, Sendable {
    /// The kernel's id of the link (global, not per network namespace).
    public var id: UInt32
    /// The id of the program the link attaches.
    public var programID: UInt32
    /// The interface it attaches to, in the namespace of the device; 0 once defunct.
    public var interfaceIndex: UInt32

    public init(id: UInt32, programID: UInt32, interfaceIndex: UInt32) {
        self.id = id
        self.programID = programID
        self.interfaceIndex = interfaceIndex
    }

    /// The XDP link a descriptor refers to, or nil when it is not one (or the kernel does not say).
    public init?(descriptor: Int32) {
        var info = bpf_link_info()
        var length = UInt32(MemoryLayout<bpf_link_info>.size)
        guard bpf_obj_get_info_by_fd(descriptor, &info, &length) == 0, info.type == BPF_LINK_TYPE_XDP.rawValue else {
            return nil
        }
        self.init(id: info.id, programID: info.prog_id, interfaceIndex: info.xdp.ifindex)
    }

    /// Every XDP link in the system. Interface indexes are per network namespace and link ids are
    /// not, so a caller matching an interface also matches the program id it sees attached there.
    public static func all() -> [XDPLink] {
        var links: [XDPLink] = []
        var id: UInt32 = 0
        while bpf_link_get_next_id(id, &id) == 0 {
            let descriptor = bpf_link_get_fd_by_id(id)
            guard descriptor >= 0 else { continue } // released meanwhile
            defer { close(descriptor) }
            if let link = XDPLink(descriptor: descriptor) { links.append(link) }
        }
        return links
    }

    /// The link that attaches program `programID` to interface `index`, if the program is attached
    /// through a link at all (nil: through netlink).
    static func holding(programID: UInt32, interfaceIndex index: UInt32) -> XDPLink? {
        all().first { $0.programID == programID && $0.interfaceIndex == index }
    }
}
