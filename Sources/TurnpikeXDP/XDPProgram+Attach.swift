#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP

extension XDPProgram {
    /// Attaches the program to `interface`. `.auto` tries native, then generic, and reports the
    /// native failure in the result so the caller can log it; `.off` attaches nothing (nil).
    /// An interface that already runs another XDP program is left alone (an error).
    @discardableResult
    public func attach(interface: String, mode: XDPAttachMode) throws(XDPError) -> XDPAttachment? {
        let index = if_nametoindex(interface)
        guard index != 0 else { throw XDPError(.noSuchInterface, errno: errno, interface) }
        switch mode {
        case .off:
            return nil
        case .native, .generic:
            let attached: XDPAttachment.Mode = mode == .native ? .native : .generic
            try attach(index: index, mode: attached)
            return try record(XDPAttachment(interface: interface, interfaceIndex: index, mode: attached))
        case .auto:
            do {
                try attach(index: index, mode: .native)
                return try record(XDPAttachment(interface: interface, interfaceIndex: index, mode: .native))
            } catch let nativeFailure {
                do {
                    try attach(index: index, mode: .generic)
                } catch {
                    throw XDPError(.attach, errno: error.errno,
                                   "\(interface): native: \(nativeFailure.diagnostics); generic: \(error.diagnostics)")
                }
                return try record(XDPAttachment(interface: interface, interfaceIndex: index, mode: .generic,
                                                nativeFailure: nativeFailure))
            }
        }
    }

    /// Detaches the program from `interface` if it is attached there (and only this program).
    public func detach(interface: String) throws(XDPError) {
        let attachment = state.withLock { state in
            state.attachments.values.first { $0.interface == interface }
        }
        guard let attachment else { return }
        try detach(attachment)
    }

    /// Detaches from every interface, ignoring failures (the interface may be gone already).
    public func detachAll() {
        let attachments = state.withLock { Array($0.attachments.values) }
        for attachment in attachments { try? detach(attachment) }
    }

    /// The interfaces the program is attached to.
    public var attachments: [XDPAttachment] {
        state.withLock { Array($0.attachments.values) }.sorted { $0.interfaceIndex < $1.interfaceIndex }
    }

    /// Lets the program redirect packets to an interface. The index is resolved in the calling
    /// thread's network namespace, which must be the interface's. `attach` does this for every
    /// interface it attaches to; a packet
    /// the FIB routes to any other interface goes to the stack (`egress_not_enabled`), because a
    /// redirect to a device that cannot transmit XDP frames would be lost without a trace.
    public func allowRedirects(toInterfaceIndex index: UInt32) throws(XDPError) {
        var key = index
        var value = index
        let result = bpf_map_update_elem(egressDescriptor, &key, &value, UInt64(BPF_ANY))
        guard result == 0 else { throw XDPError(.map, errno: -result, "enabling redirects to ifindex \(index)") }
    }

    /// Stops redirects to an interface; packets routed there go to the stack.
    public func disallowRedirects(toInterfaceIndex index: UInt32) {
        var key = index
        _ = bpf_map_delete_elem(egressDescriptor, &key)
    }

    private func record(_ attachment: XDPAttachment) throws(XDPError) -> XDPAttachment {
        do {
            try allowRedirects(toInterfaceIndex: attachment.interfaceIndex)
        } catch {
            try? detach(attachment)
            throw error
        }
        state.withLock { $0.attachments[attachment.interfaceIndex] = attachment }
        return attachment
    }

    private static func flags(_ mode: XDPAttachment.Mode) -> UInt32 {
        switch mode {
        case .native: UInt32(XDP_FLAGS_DRV_MODE)
        case .generic: UInt32(XDP_FLAGS_SKB_MODE)
        }
    }

    private func attach(index: UInt32, mode: XDPAttachment.Mode) throws(XDPError) {
        // UPDATE_IF_NOEXIST: never replace somebody else's program.
        let flags = Self.flags(mode) | UInt32(XDP_FLAGS_UPDATE_IF_NOEXIST)
        let result = bpf_xdp_attach(Int32(index), programDescriptor, flags, nil)
        guard result == 0 else {
            throw XDPError(.attach, errno: -result, "\(mode) on ifindex \(index): \(String(cString: strerror(-result)))")
        }
    }

    private func detach(_ attachment: XDPAttachment) throws(XDPError) {
        // REPLACE with old_prog_fd: only detach when the attached program is still ours.
        var options = bpf_xdp_attach_opts()
        options.sz = MemoryLayout<bpf_xdp_attach_opts>.size
        options.old_prog_fd = programDescriptor
        let flags = Self.flags(attachment.mode) | UInt32(XDP_FLAGS_REPLACE)
        let result = bpf_xdp_detach(Int32(attachment.interfaceIndex), flags, &options)
        state.withLock { _ = $0.attachments.removeValue(forKey: attachment.interfaceIndex) }
        disallowRedirects(toInterfaceIndex: attachment.interfaceIndex)
        guard result == 0 else {
            throw XDPError(.detach, errno: -result, "\(attachment.interface): \(String(cString: strerror(-result)))")
        }
    }
}
