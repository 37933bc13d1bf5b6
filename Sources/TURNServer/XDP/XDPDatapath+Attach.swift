import Logging
import STUNWire
import TURNCore
import TurnpikeXDP

extension XDPDatapath {
    /// Loads the program for the bound listening ports and the relay range and attaches it as
    /// `xdp.mode` says (DESIGN.md, "Kernel fast path"): `auto` tries native, then generic, per
    /// interface, and runs without XDP (one log line) when the program cannot be loaded or
    /// attached anywhere; `native` and `generic` refuse to start instead. With no interfaces
    /// configured, the interfaces owning `addresses` (listening and relay addresses) are used.
    /// Call from a thread in the network namespace that owns the interfaces.
    func start(listeningPorts: [UInt16], relayPorts: ClosedRange<UInt16>, addresses: [IPAddress]) throws(ServerStartError) {
        let mode = configuration.mode
        guard mode != .off else { return }
        var ports: [UInt16] = []
        for port in listeningPorts where !ports.contains(port) { ports.append(port) }
        let program: XDPProgram
        do throws(XDPError) {
            program = try XDPProgram(configuration: XDPConfiguration(listeningPorts: ports, relayPorts: relayPorts))
        } catch {
            try unavailable("cannot load the program: \(error.code): \(Self.summary(error.diagnostics))")
            return
        }
        // Egress from the routing, neighbour and link tables (netlink), so the program needs no
        // forwarding sysctl; without it every relayed packet would go to userspace.
        do throws(XDPError) {
            try program.startEgressResolution()
        } catch {
            try unavailable("cannot read the routing tables: \(error.code): \(Self.summary(error.diagnostics))")
            return
        }
        let interfaces = configuration.interfaces.isEmpty
            ? InterfaceAddresses.interfaces(owning: addresses) : configuration.interfaces
        guard !interfaces.isEmpty else {
            try unavailable("no interface owns a listening or relay address (set xdp.interfaces)")
            return
        }
        let attachMode: XDPAttachMode = switch mode {
        case .off: .off
        case .auto: .auto
        case .native: .native
        case .generic: .generic
        }
        var attached: [TurnpikeXDP.XDPAttachment] = []
        var failures: [String] = []
        for interface in interfaces {
            let stale = XDPProgram.detachStale(interface: interface)
            if !stale.isEmpty {
                logger.warning("xdp: removed a turnpike program left attached by an earlier process", metadata: [
                    "interface": .string(interface), "modes": .string(stale.map(\.rawValue).joined(separator: ",")),
                ])
            }
            do throws(XDPError) {
                if let attachment = try program.attach(interface: interface, mode: attachMode) {
                    attached.append(attachment)
                    if let native = attachment.nativeFailure {
                        logger.info("xdp: native mode refused, attached in generic mode", metadata: [
                            "interface": .string(interface), "error": .string(Self.summary(native.diagnostics)),
                        ])
                    }
                }
            } catch {
                failures.append("\(interface): \(Self.summary(error.diagnostics))")
                if mode != .auto { break }
            }
        }
        if mode != .auto, !failures.isEmpty {
            program.detachAll()
            throw ServerStartError("xdp.mode \(mode.rawValue): cannot attach to \(failures.joined(separator: "; "))")
        }
        guard !attached.isEmpty else {
            program.detachAll()
            try unavailable("cannot attach: \(failures.joined(separator: "; "))")
            return
        }
        lock.withLock {
            state.program = program
            state.attachments = attached
            // Bindings answered before the program was attached.
            for (route, mapped) in state.routes { installLocked(route, mapped, program) }
        }
        var metadata: Logger.Metadata = [
            "interfaces": .string(attached.map { "\($0.interface)(\($0.mode.rawValue))" }.joined(separator: ",")),
            // What `bpftool link detach id N` takes to detach one from outside.
            "link_ids": .string(attached.map { "\($0.interface)=\($0.linkID)" }.joined(separator: ",")),
            "listening_ports": .string(ports.map(String.init).joined(separator: ",")),
            "relay_ports": .string("\(relayPorts.lowerBound)-\(relayPorts.upperBound)"),
        ]
        if !failures.isEmpty { metadata["not_attached"] = .string(failures.joined(separator: "; ")) }
        logger.notice("xdp fast path attached", metadata: metadata)
    }

    /// `auto` runs without XDP and says so in one line; an explicit mode refuses to start.
    private func unavailable(_ why: String) throws(ServerStartError) {
        guard configuration.mode == .auto else {
            throw ServerStartError("xdp.mode \(configuration.mode.rawValue): \(why)")
        }
        logger.warning("xdp unavailable, relaying in userspace only: \(why)")
    }

    /// Detaches from every interface and unloads the program (shutdown, or a failed start).
    /// Routes stay remembered but nothing is in the kernel any more.
    func shutdown() {
        let program = lock.withLock { () -> XDPProgram? in
            defer {
                state.program = nil
                state.attachments = []
                state.lastSeen = [:]
            }
            return state.program
        }
        guard let program else { return }
        let interfaces = program.attachments.map(\.interface)
        program.detachAll()
        logger.info("xdp fast path detached", metadata: ["interfaces": .string(interfaces.joined(separator: ","))])
    }

    static func summary(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingPrefix(" ") }.filter { !$0.isEmpty }
        return lines.last.map(String.init) ?? ""
    }
}
