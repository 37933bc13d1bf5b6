#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP

extension XDPProgram {
    /// Attaches the program to `interface` through a BPF link. `.auto` tries native, then generic,
    /// and reports the native failure in the result so the caller can log it; `.off` attaches
    /// nothing (nil). An interface that already runs another XDP program, attached through a link
    /// or through netlink, is left alone (an error naming the program that is there).
    ///
    /// The link's descriptor is the attachment: `detach` closes it, and so does the kernel when
    /// the process exits, however it exits, so nothing of the program stays behind.
    @discardableResult
    public func attach(interface: String, mode: XDPAttachMode) throws(XDPError) -> XDPAttachment? {
        let index = if_nametoindex(interface)
        guard index != 0 else { throw XDPError(.noSuchInterface, errno: errno, interface) }
        switch mode {
        case .off:
            return nil
        case .native, .generic:
            let attached: XDPAttachment.Mode = mode == .native ? .native : .generic
            let link = try attach(index: index, mode: attached)
            return try record(XDPAttachment(interface: interface, interfaceIndex: index, mode: attached), link: link)
        case .auto:
            do {
                let link = try attach(index: index, mode: .native)
                return try record(XDPAttachment(interface: interface, interfaceIndex: index, mode: .native), link: link)
            } catch let nativeFailure {
                let link: Int32
                do {
                    link = try attach(index: index, mode: .generic)
                } catch {
                    throw XDPError(.attach, errno: error.errno,
                                   "\(interface): native: \(nativeFailure.diagnostics); generic: \(error.diagnostics)")
                }
                return try record(XDPAttachment(interface: interface, interfaceIndex: index, mode: .generic,
                                                nativeFailure: nativeFailure), link: link)
            }
        }
    }

    /// Detaches the program from `interface` if it is attached there.
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

    /// Keeps the link of a new attachment; on failure the link is closed, which detaches again.
    private func record(_ attachment: XDPAttachment, link: Int32) throws(XDPError) -> XDPAttachment {
        do {
            try allowRedirects(toInterfaceIndex: attachment.interfaceIndex)
        } catch {
            close(link)
            throw error
        }
        var attachment = attachment
        attachment.linkID = XDPLink(descriptor: link)?.id ?? 0
        state.withLock {
            $0.attachments[attachment.interfaceIndex] = attachment
            $0.links[attachment.interfaceIndex] = link
        }
        return attachment
    }

    static func flags(_ mode: XDPAttachment.Mode) -> UInt32 {
        switch mode {
        case .native: UInt32(XDP_FLAGS_DRV_MODE)
        case .generic: UInt32(XDP_FLAGS_SKB_MODE)
        }
    }

    /// Creates the link and returns its descriptor. A link never replaces a program: the kernel
    /// refuses (EBUSY) when one is attached in that mode, and (EEXIST) when one runs in the other.
    private func attach(index: UInt32, mode: XDPAttachment.Mode) throws(XDPError) -> Int32 {
        var options = bpf_link_create_opts()
        options.sz = MemoryLayout<bpf_link_create_opts>.size
        options.flags = Self.flags(mode)
        let link = bpf_link_create(programDescriptor, Int32(index), BPF_XDP, &options)
        guard link >= 0 else {
            var text = "\(mode) on ifindex \(index): \(String(cString: strerror(-link)))"
            if let occupant = Self.occupant(interfaceIndex: index) { text += " (\(occupant))" }
            throw XDPError(.attach, errno: -link, text)
        }
        return link
    }

    /// What runs on an interface already, for an attach failure: each mode's program, and the
    /// link holding it (detach with `bpftool link detach id N`) or netlink (`ip link set dev X
    /// xdp off`).
    private static func occupant(interfaceIndex index: UInt32) -> String? {
        var found: [String] = []
        for mode in [XDPAttachment.Mode.native, .generic] {
            var id: UInt32 = 0
            guard bpf_xdp_query_id(Int32(index), Int32(flags(mode)), &id) == 0, id != 0 else { continue }
            let descriptor = bpf_prog_get_fd_by_id(id)
            let name = descriptor >= 0 ? programName(descriptor) : nil
            if descriptor >= 0 { close(descriptor) }
            let holder = XDPLink.holding(programID: id, interfaceIndex: index).map { "link \($0.id)" } ?? "netlink"
            found.append("\(mode) program \(id) \(name ?? "?") attached through \(holder)")
        }
        return found.isEmpty ? nil : found.joined(separator: "; ")
    }

    /// BPF_LINK_DETACH, then closes the link. Detaching first takes the program off even when
    /// another descriptor to the link is open somewhere (a `bpftool link show` at that moment);
    /// a link already detached from outside detaches again without error.
    private func detach(_ attachment: XDPAttachment) throws(XDPError) {
        let link = state.withLock { state -> Int32? in
            state.attachments[attachment.interfaceIndex] = nil
            return state.links.removeValue(forKey: attachment.interfaceIndex)
        }
        disallowRedirects(toInterfaceIndex: attachment.interfaceIndex)
        guard let link else { return }
        defer { close(link) }
        let result = bpf_link_detach(link)
        guard result == 0 else {
            throw XDPError(.detach, errno: -result, "\(attachment.interface): \(String(cString: strerror(-result)))")
        }
    }
}
