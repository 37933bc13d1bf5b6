#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
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

    /// Whether this program is still attached to the interface of `attachment`, in its mode.
    /// False once somebody detached its link from outside (BPF_LINK_DETACH, `bpftool link detach
    /// id N`: the link is defunct, its interface index 0) or the interface went away; packets on
    /// that interface then reach the stack and userspace relays them. Ask from a thread in the
    /// interface's network namespace.
    public func isStillAttached(_ attachment: XDPAttachment) -> Bool {
        guard let own = programID else { return false }
        let linked = state.withLock { state -> Bool in
            guard let link = state.links[attachment.interfaceIndex] else { return false }
            return XDPLink(descriptor: link)?.interfaceIndex == attachment.interfaceIndex
        }
        guard linked else { return false }
        var attached: UInt32 = 0
        guard bpf_xdp_query_id(Int32(attachment.interfaceIndex), Int32(Self.flags(attachment.mode)), &attached) == 0 else {
            return false
        }
        return attached == own
    }

    /// Forgets an attachment the kernel no longer has (detached from outside): closes its defunct
    /// link, so that `detachAll` does not try it again, and stops redirects to its interface.
    public func forget(_ attachment: XDPAttachment) {
        let link = state.withLock { state -> Int32? in
            state.attachments[attachment.interfaceIndex] = nil
            return state.links.removeValue(forKey: attachment.interfaceIndex)
        }
        if let link { close(link) }
        disallowRedirects(toInterfaceIndex: attachment.interfaceIndex)
    }
}
