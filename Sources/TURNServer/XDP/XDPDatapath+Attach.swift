#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
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
        // `auto` with no interfaces named leaves loopback alone: relaying there gains nothing
        // and a generic program on it would see all of the host's local traffic.
        var interfaces = configuration.interfaces
        var skipped: [XDPInterfaceReadiness] = []
        if interfaces.isEmpty {
            for name in InterfaceAddresses.interfaces(owning: addresses) {
                if InterfaceAddresses.isLoopback(name) {
                    skipped.append(XDPInterfaceReadiness(interface: name, reason: .loopback))
                } else {
                    interfaces.append(name)
                }
            }
        }
        let program: XDPProgram
        do throws(XDPError) {
            program = try XDPProgram(configuration: XDPConfiguration(listeningPorts: ports, relayPorts: relayPorts))
        } catch {
            let reason: XDPInterfaceReadiness.Reason = Self.isPermission(error) ? .noPermission : .loadFailed
            report(interfaces.map { XDPInterfaceReadiness(interface: $0, reason: reason) } + skipped)
            try unavailable("cannot load the program: \(error.code): \(Self.summary(error.diagnostics))")
            return
        }
        // Egress from the routing, neighbour and link tables (netlink), so the program needs no
        // forwarding sysctl; without it every relayed packet would go to userspace.
        do throws(XDPError) {
            try program.startEgressResolution()
        } catch {
            report(interfaces.map { XDPInterfaceReadiness(interface: $0, reason: .noRoutingTables) } + skipped)
            try unavailable("cannot read the routing tables: \(error.code): \(Self.summary(error.diagnostics))")
            return
        }
        guard !interfaces.isEmpty else {
            report(skipped)
            try unavailable(skipped.isEmpty
                ? "no interface owns a listening or relay address (set xdp.interfaces)"
                : "only loopback owns the listening and relay addresses (set xdp.interfaces to attach there anyway)")
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
        var readiness: [XDPInterfaceReadiness] = []
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
                    readiness.append(XDPInterfaceReadiness(
                        interface: interface, reason: attachment.mode == .native ? .native : .generic,
                        detail: attachment.nativeFailure.map { "native refused: \(Self.summary($0.diagnostics))" }))
                }
            } catch {
                failures.append("\(interface): \(Self.summary(error.diagnostics))")
                readiness.append(XDPInterfaceReadiness(
                    interface: interface, reason: Self.isPermission(error) ? .noPermission : .attachFailed,
                    detail: Self.summary(error.diagnostics)))
                if mode != .auto { break }
            }
        }
        if mode != .auto, !failures.isEmpty {
            program.detachAll()
            throw ServerStartError("xdp.mode \(mode.rawValue): cannot attach to \(failures.joined(separator: "; "))")
        }
        report(readiness + skipped)
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

    /// Records each interface's readiness and says it in one line per interface.
    private func report(_ readiness: [XDPInterfaceReadiness]) {
        lock.withLock { state.interfaces = readiness }
        for entry in readiness {
            let metadata: Logger.Metadata = [
                "interface": .string(entry.interface), "reason": .string(entry.reason.rawValue), "detail": .string(entry.detail),
            ]
            if entry.ready {
                logger.info("xdp interface ready", metadata: metadata)
            } else {
                logger.warning("xdp interface not ready", metadata: metadata)
            }
        }
    }

    /// EPERM or EACCES: missing CAP_BPF / CAP_PERFMON / CAP_NET_ADMIN (or a seccomp or LSM refusal).
    static func isPermission(_ error: XDPError) -> Bool {
        error.errno == EPERM || error.errno == EACCES
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
