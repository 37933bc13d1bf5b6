import CLibbpf
import CTurnpikeXDP

extension XDPProgram {
    /// The kernel's id of the loaded program, nil when the kernel does not tell.
    public var programID: UInt32? {
        var info = bpf_prog_info()
        var length = UInt32(MemoryLayout<bpf_prog_info>.size)
        guard bpf_obj_get_info_by_fd(programDescriptor, &info, &length) == 0 else { return nil }
        return info.id
    }

    /// Whether this program is still the one attached to the interface of `attachment`, in its
    /// mode. False once somebody detached or replaced it (`ip link set dev X xdp off`); packets
    /// on that interface then reach the stack and userspace relays them. Ask from a thread in the
    /// interface's network namespace.
    public func isStillAttached(_ attachment: XDPAttachment) -> Bool {
        guard let own = programID else { return false }
        let flags: UInt32 = switch attachment.mode {
        case .native: UInt32(XDP_FLAGS_DRV_MODE)
        case .generic: UInt32(XDP_FLAGS_SKB_MODE)
        }
        var attached: UInt32 = 0
        guard bpf_xdp_query_id(Int32(attachment.interfaceIndex), Int32(flags), &attached) == 0 else { return false }
        return attached == own
    }

    /// Forgets an attachment the kernel no longer has (detached from outside), so that `detachAll`
    /// does not try to remove a program that is not there and redirects to it stop.
    public func forget(_ attachment: XDPAttachment) {
        state.withLock { _ = $0.attachments.removeValue(forKey: attachment.interfaceIndex) }
        disallowRedirects(toInterfaceIndex: attachment.interfaceIndex)
    }
}
