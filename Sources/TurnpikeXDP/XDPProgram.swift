#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibbpf
import CTurnpikeXDP
import Synchronization

/// The loaded XDP fast path: the embedded program with its maps, the interfaces it is attached
/// to and the route index of every installed channel.
///
/// Loading needs CAP_BPF and CAP_PERFMON (or root); attaching needs CAP_NET_ADMIN. Every
/// operation is a bpf(2) syscall on file descriptors this object owns, and the mutable
/// bookkeeping sits behind a mutex, so one instance may be shared between event loops. On deinit the descriptors of its links are
/// closed — what the kernel does when the process dies — which detaches the program from every
/// interface (unless something else holds a link open), and the object is closed, which frees
/// its maps.
public final class XDPProgram: @unchecked Sendable {
    // @unchecked: `object` is an immutable handle after load; libbpf is not called on it again
    // except to close it in deinit. All mutable state is in `state`.
    private let object: OpaquePointer
    let programDescriptor: Int32
    let channelsDescriptor: Int32
    let peersDescriptor: Int32
    let routeCountersDescriptor: Int32
    let reasonCountersDescriptor: Int32
    let egressDescriptor: Int32
    let egressRoutesDescriptor: Int32
    /// Possible CPUs: the number of values a per-CPU map lookup returns.
    let possibleCPUs: Int
    public let configuration: XDPConfiguration

    struct State: Sendable {
        var attachments: [UInt32: XDPAttachment] = [:]
        /// The descriptor of each attachment's BPF link, by interface index.
        var links: [UInt32: Int32] = [:]
        var routes: [XDPChannelRoute.ClientKey: (route: XDPChannelRoute, index: UInt32)] = [:]
        var allocator = RouteIndexAllocator(capacity: UInt32(TURNPIKE_XDP_MAX_ROUTES))
        /// Keeps turnpike_egress_routes from netlink once `startEgressResolution()` ran.
        var resolver: EgressResolver?
    }
    let state = Mutex(State())
    /// Serialises route installs and removals: each is several map updates and bookkeeping.
    let routeUpdates = Mutex(())

    /// Opens the embedded object, writes `configuration` into its rodata and loads it.
    public init(configuration: XDPConfiguration) throws(XDPError) {
        turnpike_libbpf_capture_log()
        _ = Self.takeLibbpfLog()
        var config = try configuration.encoded()
        self.configuration = configuration
        // Per-CPU lookups write one value per possible CPU: the count must be right.
        let cpus = libbpf_num_possible_cpus()
        guard cpus > 0 else { throw XDPError(.load, errno: -cpus, "cannot count possible CPUs") }
        possibleCPUs = Int(cpus)

        let object = try Self.openAndLoad(EmbeddedBPFObject.bytes, config: &config)
        do {
            programDescriptor = try Self.programDescriptor(object)
            channelsDescriptor = try Self.mapDescriptor(object, TURNPIKE_XDP_CHANNELS_MAP)
            peersDescriptor = try Self.mapDescriptor(object, TURNPIKE_XDP_PEERS_MAP)
            routeCountersDescriptor = try Self.mapDescriptor(object, TURNPIKE_XDP_ROUTE_COUNTERS_MAP)
            reasonCountersDescriptor = try Self.mapDescriptor(object, TURNPIKE_XDP_REASON_COUNTERS_MAP)
            egressDescriptor = try Self.mapDescriptor(object, TURNPIKE_XDP_EGRESS_MAP)
            egressRoutesDescriptor = try Self.mapDescriptor(object, TURNPIKE_XDP_EGRESS_ROUTES_MAP)
        } catch {
            bpf_object__close(object)
            throw error
        }
        self.object = object
    }

    deinit {
        state.withLock { $0.resolver }?.stop()
        // Only close, no BPF_LINK_DETACH: a process that dies does no more, and this must be enough.
        for link in state.withLock({ $0.links.values }) { close(link) }
        bpf_object__close(object)
    }

    /// Opens the object from memory, configures and loads it. libbpf reads `bytes` until the load
    /// has finished, so both happen while the buffer is borrowed.
    private static func openAndLoad(_ bytes: [UInt8], config: inout turnpike_xdp_config) throws(XDPError) -> OpaquePointer {
        let result: Result<OpaquePointer, XDPError> = bytes.withUnsafeBytes { buffer in
            "turnpike".withCString { name in
                var options = bpf_object_open_opts()
                options.sz = MemoryLayout<bpf_object_open_opts>.size
                options.object_name = name
                guard let object = bpf_object__open_mem(buffer.baseAddress, buffer.count, &options) else {
                    return .failure(XDPError(.open, errno: errno, takeLibbpfLog()))
                }
                do throws(XDPError) {
                    try configure(object, with: &config)
                } catch {
                    bpf_object__close(object)
                    return .failure(error)
                }
                let loaded = bpf_object__load(object)
                guard loaded == 0 else {
                    bpf_object__close(object)
                    return .failure(XDPError(.load, errno: -loaded, takeLibbpfLog()))
                }
                return .success(object)
            }
        }
        return try result.get()
    }

    /// Writes the configuration into the config rodata section before load.
    private static func configure(_ object: OpaquePointer, with config: inout turnpike_xdp_config) throws(XDPError) {
        guard let map = bpf_object__find_map_by_name(object, TURNPIKE_XDP_CONFIG_SECTION) else {
            throw XDPError(.abiMismatch, "no \(TURNPIKE_XDP_CONFIG_SECTION) section")
        }
        let size = MemoryLayout<turnpike_xdp_config>.size
        guard Int(bpf_map__value_size(map)) == size else {
            throw XDPError(.abiMismatch, "\(TURNPIKE_XDP_CONFIG_SECTION) is \(bpf_map__value_size(map)) bytes, expected \(size)")
        }
        let result = bpf_map__set_initial_value(map, &config, size)
        guard result == 0 else { throw XDPError(.abiMismatch, errno: -result, Self.takeLibbpfLog()) }
    }

    private static func programDescriptor(_ object: OpaquePointer) throws(XDPError) -> Int32 {
        guard let program = bpf_object__find_program_by_name(object, TURNPIKE_XDP_PROGRAM_NAME) else {
            throw XDPError(.abiMismatch, "no program \(TURNPIKE_XDP_PROGRAM_NAME)")
        }
        return bpf_program__fd(program)
    }

    private static func mapDescriptor(_ object: OpaquePointer, _ name: String) throws(XDPError) -> Int32 {
        guard let map = bpf_object__find_map_by_name(object, name) else {
            throw XDPError(.abiMismatch, "no map \(name)")
        }
        return bpf_map__fd(map)
    }

    /// libbpf's messages captured on this thread since the last call.
    static func takeLibbpfLog() -> String {
        var buffer = [CChar](repeating: 0, count: 16384)
        let count = turnpike_libbpf_take_log(&buffer, buffer.count)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
