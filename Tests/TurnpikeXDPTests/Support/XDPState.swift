import CLibbpf
import CTurnpikeXDP
import Foundation
import TurnpikeXDP
#if canImport(Glibc)
import Glibc
#endif

/// What the kernel has on an interface, and removing a link from outside the process that owns
/// it, as an operator would with `bpftool link detach id N` (bpftool itself is not needed).
enum XDPState {
    /// The id of the program attached to `interface` in `mode`, 0 for none. Run in its namespace.
    static func programID(on interface: String, mode: XDPAttachment.Mode) -> UInt32 {
        let index = if_nametoindex(interface)
        guard index != 0 else { return 0 }
        let flags: UInt32 = mode == .native ? UInt32(XDP_FLAGS_DRV_MODE) : UInt32(XDP_FLAGS_SKB_MODE)
        var id: UInt32 = 0
        guard bpf_xdp_query_id(Int32(index), Int32(flags), &id) == 0 else { return 0 }
        return id
    }

    /// Whether `interface` runs no XDP program in either mode. Run in its namespace.
    static func isBare(_ interface: String) -> Bool {
        programID(on: interface, mode: .native) == 0 && programID(on: interface, mode: .generic) == 0
    }

    /// BPF_LINK_DETACH on the XDP link that holds the program attached to `interface` (found by
    /// bpf_link_get_next_id, the link's interface index and the program id seen there). Returns
    /// the link; throws when the program there is not held by a link. Run in its namespace.
    @discardableResult
    static func detachLink(on interface: String) throws -> XDPLink {
        let index = if_nametoindex(interface)
        let attached = [XDPAttachment.Mode.native, .generic].map { programID(on: interface, mode: $0) }.filter { $0 != 0 }
        guard index != 0, let program = attached.first else {
            throw ShellError(message: "\(interface): no XDP program attached")
        }
        guard let link = XDPLink.all().first(where: { $0.programID == program && $0.interfaceIndex == index }) else {
            throw ShellError(message: "\(interface): program \(program) is not attached through a link")
        }
        let descriptor = bpf_link_get_fd_by_id(link.id)
        guard descriptor >= 0 else { throw ShellError(message: "link \(link.id): errno \(-descriptor)") }
        defer { close(descriptor) }
        let result = bpf_link_detach(descriptor)
        guard result == 0 else { throw ShellError(message: "BPF_LINK_DETACH link \(link.id): errno \(-result)") }
        return link
    }

    /// Whether a program with this id still exists anywhere (loaded, attached or held by a map).
    static func programExists(_ id: UInt32) -> Bool {
        let descriptor = bpf_prog_get_fd_by_id(id)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    /// Polls for up to `seconds` (the kernel frees a released link's program after an RCU grace
    /// period, so this is not instant).
    static func waitUntil(seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try condition() { return true }
            usleep(20_000)
        } while Date() < deadline
        return try condition()
    }
}
