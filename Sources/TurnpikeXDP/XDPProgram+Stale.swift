#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP

extension XDPProgram {
    /// Detaches a turnpike program left on `interface` through netlink by a process that is gone:
    /// a netlink attachment outlives its process (turnpike attached that way before it used BPF
    /// links), and such a program would go on relaying the channels of allocations that no longer
    /// exist. Only a program with this program's name is touched, in either mode, and never one
    /// held by a BPF link: a link lives only as long as a process holds it, so its owner is alive
    /// (netlink could not remove it anyway). Returns the modes it was removed from. Call from a
    /// thread in the interface's network namespace, before attaching.
    @discardableResult
    public static func detachStale(interface: String) -> [XDPAttachment.Mode] {
        let index = if_nametoindex(interface)
        guard index != 0 else { return [] }
        var removed: [XDPAttachment.Mode] = []
        for mode in [XDPAttachment.Mode.native, .generic] {
            let flags = Self.flags(mode)
            var id: UInt32 = 0
            guard bpf_xdp_query_id(Int32(index), Int32(flags), &id) == 0, id != 0 else { continue }
            guard XDPLink.holding(programID: id, interfaceIndex: index) == nil else { continue }
            let descriptor = bpf_prog_get_fd_by_id(id)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard let name = programName(descriptor),
                  !name.isEmpty, TURNPIKE_XDP_PROGRAM_NAME.hasPrefix(name) else { continue }
            var options = bpf_xdp_attach_opts()
            options.sz = MemoryLayout<bpf_xdp_attach_opts>.size
            options.old_prog_fd = descriptor
            if bpf_xdp_detach(Int32(index), flags | UInt32(XDP_FLAGS_REPLACE), &options) == 0 { removed.append(mode) }
        }
        return removed
    }

    /// A program's name as the kernel keeps it (BPF_OBJ_NAME_LEN - 1 characters at most).
    static func programName(_ descriptor: Int32) -> String? {
        var info = bpf_prog_info()
        var length = UInt32(MemoryLayout<bpf_prog_info>.size)
        guard bpf_obj_get_info_by_fd(descriptor, &info, &length) == 0 else { return nil }
        return withUnsafeBytes(of: info.name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
