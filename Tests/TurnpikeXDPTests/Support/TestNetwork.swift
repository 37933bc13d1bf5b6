import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A network namespace with two veth pairs, addresses and neighbours, forwarding off, for the
/// egress resolver to read in `bpf_prog_test_run_opts` runs and for attach tests. With
/// `separateEnds`, the far ends move into a client and a peer namespace with the neighbours'
/// addresses and MACs, so real frames can cross the relay. Names are pid-suffixed; the namespaces
/// are deleted by `destroy()`, and ones left by a process that died are deleted before new ones
/// are made.
///
///       namespace tpxdp-<pid>-<n>  (far ends, when separate: tpxdp-<pid>-<n>-client / -peer)
///     ┌─────────────────────────────────────────────────────────────────────┐
///     │  tpc<pid><n>  198.18.1.1/24 2001:db8:1::1/64  mtu 1500  ⟷ tpcp<..>  │  client side
///     │     neighbours: client .2 / ::2, near peer .3 / ::3                 │
///     │  tpp<pid><n>  198.18.2.1/24 2001:db8:2::1/64  mtu 1400  ⟷ tpq<..>   │  peer side
///     │     neighbours: peer .2 / ::2            (198.18.2.9: none)          │
///     │  forwarding off (IPv4 and IPv6), as on any host                     │
///     └─────────────────────────────────────────────────────────────────────┘
final class TestNetwork: Sendable {
    static let prefix = "tpxdp-"
    /// Off in every namespace these tests make.
    static let forwardingSysctls = ["net.ipv4.conf.all.forwarding", "net.ipv6.conf.all.forwarding"]
    private static let sequence = Mutex(0)

    let name: String
    let clientInterface: String
    let clientPeerInterface: String
    let peerInterface: String
    let peerPeerInterface: String
    /// The namespaces of the far ends, when they are separate.
    let clientNamespace: String?
    let peerNamespace: String?

    private init(number: Int, separateEnds: Bool) {
        let tag = "\(getpid())\(number)"
        name = Self.prefix + "\(getpid())-\(number)"
        clientNamespace = separateEnds ? name + "-client" : nil
        peerNamespace = separateEnds ? name + "-peer" : nil
        clientInterface = "tpc" + tag
        clientPeerInterface = "tpcp" + tag
        peerInterface = "tpp" + tag
        peerPeerInterface = "tpq" + tag
    }

    static func create(separateEnds: Bool = false) throws -> TestNetwork {
        removeStale()
        let number = sequence.withLock { value in
            defer { value += 1 }
            return value
        }
        let network = TestNetwork(number: number, separateEnds: separateEnds)
        do {
            try network.setUp()
        } catch {
            network.destroy()
            throw error
        }
        return network
    }

    private func setUp() throws {
        try Shell.run(["ip", "netns", "add", name])
        try Self.turnForwardingOff(in: name)
        let t = Topology.self
        try Shell.run(["ip", "-n", name, "-batch", "-"], input: """
            link add \(clientInterface) address \(t.clientSideMAC.macText) type veth peer name \(clientPeerInterface)
            link add \(peerInterface) address \(t.peerSideMAC.macText) mtu \(t.peerSideMTU) type veth peer name \(peerPeerInterface) mtu \(t.peerSideMTU)
            link set lo up
            link set \(clientInterface) up
            link set \(clientPeerInterface) up
            link set \(peerInterface) up
            link set \(peerPeerInterface) up
            addr add \(t.serverV4)/24 dev \(clientInterface)
            addr add \(t.serverV6)/64 dev \(clientInterface) nodad
            addr add \(t.relayV4)/24 dev \(peerInterface)
            addr add \(t.relayV6)/64 dev \(peerInterface) nodad
            neigh add \(t.clientV4) lladdr \(t.clientMAC.macText) dev \(clientInterface) nud permanent
            neigh add \(t.clientV6) lladdr \(t.clientMAC.macText) dev \(clientInterface) nud permanent
            neigh add \(t.nearPeerV4) lladdr \(t.nearPeerMAC.macText) dev \(clientInterface) nud permanent
            neigh add \(t.nearPeerV6) lladdr \(t.nearPeerMAC.macText) dev \(clientInterface) nud permanent
            neigh add \(t.peerV4) lladdr \(t.peerMAC.macText) dev \(peerInterface) nud permanent
            neigh add \(t.peerV6) lladdr \(t.peerMAC.macText) dev \(peerInterface) nud permanent

            """)
        try Self.turnForwardingOff(in: name)
        if let clientNamespace, let peerNamespace {
            try moveEnd(clientPeerInterface, to: clientNamespace, mac: t.clientMAC, addresses: ["\(t.clientV4)/24", "\(t.clientV6)/64"])
            try moveEnd(peerPeerInterface, to: peerNamespace, mac: t.peerMAC, addresses: ["\(t.peerV4)/24", "\(t.peerV6)/64"])
        }
    }

    /// Moves a veth end into its own namespace as the host the relay's neighbour entry describes.
    private func moveEnd(_ interface: String, to namespace: String, mac: [UInt8], addresses: [String]) throws {
        try Shell.run(["ip", "netns", "add", namespace])
        try Self.turnForwardingOff(in: namespace)
        try Shell.run(["ip", "-n", name, "link", "set", interface, "netns", namespace])
        try Shell.run(["ip", "-n", namespace, "-batch", "-"], input: """
            link set lo up
            link set \(interface) address \(mac.macText) up
            \(addresses.map { "addr add \($0) dev \(interface) nodad" }.joined(separator: "\n"))

            """)
    }

    /// Forwarding off for both families on every interface, present and future: the default of
    /// a cloud image (a new namespace may inherit the host's setting). Checked after writing.
    static func turnForwardingOff(in namespace: String) throws {
        try Shell.run(["ip", "netns", "exec", namespace, "sysctl", "-qw"]
            + (forwardingSysctls + forwardingSysctls.map { $0.replacingOccurrences(of: ".all.", with: ".default.") }).map { $0 + "=0" })
        for sysctl in forwardingSysctls {
            let value = try Shell.run(["ip", "netns", "exec", namespace, "sysctl", "-n", sysctl])
            guard value.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
                throw ShellError(message: "\(sysctl) stays on in \(namespace)")
            }
        }
    }

    func destroy() {
        for namespace in [name, clientNamespace, peerNamespace].compactMap({ $0 }) {
            _ = try? Shell.run(["ip", "netns", "del", namespace])
        }
    }

    /// Runs `body` on the calling thread inside the namespace, then moves the thread back.
    /// `body` must not suspend: the namespace belongs to this thread only.
    func run<T>(in namespace: String? = nil, _ body: () throws -> T) throws -> T {
        let namespace = namespace ?? name
        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        let target = open("/run/netns/\(namespace)", O_RDONLY | O_CLOEXEC)
        defer {
            if original >= 0 { close(original) }
            if target >= 0 { close(target) }
        }
        guard original >= 0, target >= 0 else { throw ShellError(message: "cannot open namespace \(namespace)") }
        guard Self.setns(target, Self.cloneNewNet) == 0 else { throw ShellError(message: "setns \(namespace): errno \(errno)") }
        defer { precondition(Self.setns(original, Self.cloneNewNet) == 0, "cannot return to the original namespace") }
        return try body()
    }

    /// An interface's index inside the relay namespace, or `namespace`.
    func index(of interface: String, in namespace: String? = nil) throws -> UInt32 {
        try run(in: namespace) { if_nametoindex(interface) }
    }

    /// setns(2): glibc declares it only under _GNU_SOURCE, which Swift's Glibc module lacks.
    private static let setns: @convention(c) (Int32, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else {
            fatalError("setns not found in libc")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()

    /// CLONE_NEWNET from <sched.h>.
    static let cloneNewNet: Int32 = 0x4000_0000

    /// Deletes namespaces of ours whose process is gone (a crashed earlier run).
    private static func removeStale() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/run/netns") else { return }
        for name in names where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0 != "-" }
            guard let pid = Int32(digits), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            _ = try? Shell.run(["ip", "netns", "del", name])
        }
    }
}
