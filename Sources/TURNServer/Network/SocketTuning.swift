import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Socket options the shell sets: buffer sizes for every socket, and the don't-fragment
/// setting for relay sockets of allocations that asked for DONT-FRAGMENT (RFC 8656 §7.2, §14.8).
struct SocketTuning: Sendable {
    /// SO_RCVBUF and SO_SNDBUF; zero leaves the kernel default.
    var receiveBufferBytes: Int
    var sendBufferBytes: Int

    /// Datagrams read per wake-up (recvmmsg through NIO's vector reads).
    static let vectorReadCount = 64
    /// Receive slots sized for a full Ethernet-MTU datagram plus room for jumbo frames.
    static let datagramSlotBytes = 2048
    /// TCP accept backlog for the stream listeners.
    static let streamBacklog: Int32 = 256

    /// Linux `<linux/in.h>`: IP_MTU_DISCOVER with IP_PMTUDISC_DO sets DF and never fragments.
    static let ipMTUDiscover: Int32 = 10
    static let ipPMTUDiscDo: Int32 = 2
    /// Linux `<linux/in6.h>`: IPV6_DONTFRAG (RFC 3542 §11.2) refuses to fragment locally.
    static let ipv6DontFrag: Int32 = 62

    /// Buffer options, set before bind.
    func apply(to bootstrap: DatagramBootstrap) -> DatagramBootstrap {
        var result = bootstrap
        if receiveBufferBytes > 0 {
            result = result.channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: SocketOptionValue(clamping: receiveBufferBytes))
        }
        if sendBufferBytes > 0 {
            result = result.channelOption(ChannelOptions.socketOption(.so_sndbuf), value: SocketOptionValue(clamping: sendBufferBytes))
        }
        return result
    }

    /// Vector reads with a receive allocator sized for all of them at once.
    static func batched(_ bootstrap: DatagramBootstrap) -> DatagramBootstrap {
        bootstrap
            .channelOption(ChannelOptions.datagramVectorReadMessageCount, value: vectorReadCount)
            .channelOption(
                ChannelOptions.recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: vectorReadCount * datagramSlotBytes))
    }

    /// DF on every packet a relay socket sends, where the kernel supports it. Returns false when
    /// it could not be set (the allocation still works; packets may then be fragmented).
    static func setDontFragment(on channel: any Channel, ipv6: Bool) -> EventLoopFuture<Void> {
        if ipv6 {
            let option = ChannelOptions.Types.SocketOption(level: SocketOptionLevel(IPPROTO_IPV6), name: SocketOptionName(ipv6DontFrag))
            return channel.setOption(option, value: 1)
        }
        let option = ChannelOptions.Types.SocketOption(level: SocketOptionLevel(IPPROTO_IP), name: SocketOptionName(ipMTUDiscover))
        return channel.setOption(option, value: SocketOptionValue(ipPMTUDiscDo))
    }
}

extension SocketTuning {
    /// Linux `<linux/in6.h>`: IPV6_V6ONLY, so `[::]:3478` and `0.0.0.0:3478` can both be bound.
    static let ipv6Only = ChannelOptions.Types.SocketOption(level: SocketOptionLevel(IPPROTO_IPV6), name: SocketOptionName(IPV6_V6ONLY))
}

extension SocketTuning {
    /// SO_REUSEPORT: one listening socket per event loop on the same address; the kernel hashes
    /// each client's addresses to one of them.
    static let reusePort = ChannelOptions.Types.SocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_REUSEPORT))
}
