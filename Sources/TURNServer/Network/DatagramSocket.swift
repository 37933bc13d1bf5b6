import NIOCore
import NIOPosix
import STUNWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A UDP socket the shell opens and binds itself, then hands to NIO for reading
/// (`DatagramBootstrap.withBoundSocket`). The shell keeps the descriptor and sends through it
/// with sendmmsg (`DatagramSendQueue`): NIO closes a datagram channel on any send error but
/// EMSGSIZE and EHOSTUNREACH, so a single datagram to port 0, or one a firewall refuses, would
/// take the listener down with it.
struct DatagramSocket: Sendable {
    /// The descriptor, owned by `channel` (NIO closes it with the channel).
    let descriptor: CInt
    let channel: any Channel

    /// Options set on the descriptor before `bind`.
    struct Options: Sendable {
        var reusePort = false
        var dontFragment = false
        var tuning = SocketTuning(receiveBufferBytes: 0, sendBufferBytes: 0)
    }

    /// Opens and binds a socket for `address`; closes it again if any step fails.
    static func bind(_ address: TransportAddress, options: Options) throws(IOError) -> CInt {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        do {
            if options.reusePort { try set(descriptor, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT") }
            if address.family == .ipv6 { try set(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1, "IPV6_V6ONLY") }
            if options.tuning.receiveBufferBytes > 0 {
                try set(descriptor, SOL_SOCKET, SO_RCVBUF, Int32(clamping: options.tuning.receiveBufferBytes), "SO_RCVBUF")
            }
            if options.tuning.sendBufferBytes > 0 {
                try set(descriptor, SOL_SOCKET, SO_SNDBUF, Int32(clamping: options.tuning.sendBufferBytes), "SO_SNDBUF")
            }
            try bind(descriptor, to: address)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// RFC 8656 §7.2, §14.8: DF on every datagram the socket sends (IPv4: IP_PMTUDISC_DO;
    /// IPv6: IPV6_DONTFRAG). False where the kernel refuses; the allocation works without it.
    static func setDontFragment(_ descriptor: CInt, ipv6: Bool) -> Bool {
        do {
            if ipv6 {
                try set(descriptor, Int32(IPPROTO_IPV6), SocketTuning.ipv6DontFrag, 1, "IPV6_DONTFRAG")
            } else {
                try set(descriptor, Int32(IPPROTO_IP), SocketTuning.ipMTUDiscover, SocketTuning.ipPMTUDiscDo, "IP_MTU_DISCOVER")
            }
            return true
        } catch {
            return false
        }
    }

    private static func set(_ descriptor: CInt, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String) throws(IOError) {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw IOError(errnoCode: errno, reason: "setsockopt(\(label))")
        }
    }

    private static func bind(_ descriptor: CInt, to address: TransportAddress) throws(IOError) {
        let result = address.socketAddress.withSockAddr { pointer, length in
            Glibc.bind(descriptor, pointer, socklen_t(length))
        }
        guard result == 0 else { throw IOError(errnoCode: errno, reason: "bind") }
    }

    /// Binds a socket for `address` and registers it on `loop` for reading: vector reads, then
    /// the handler `initialize` adds (given the channel and the descriptor). NIO owns the
    /// descriptor from then on.
    static func open(
        _ address: TransportAddress, options: Options, on loop: any EventLoop,
        initialize: @escaping @Sendable (any Channel, CInt) throws -> Void
    ) -> EventLoopFuture<DatagramSocket> {
        let descriptor: CInt
        do {
            descriptor = try bind(address, options: options)
        } catch {
            return loop.makeFailedFuture(error)
        }
        return SocketTuning.batched(DatagramBootstrap(group: loop))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try initialize(channel, descriptor) }
            }
            .withBoundSocket(descriptor)
            .map { DatagramSocket(descriptor: descriptor, channel: $0) }
    }
}
