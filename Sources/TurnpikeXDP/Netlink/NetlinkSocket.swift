#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An AF_NETLINK / NETLINK_ROUTE socket in the calling thread's network namespace (a socket
/// keeps the namespace it was made in, whichever thread uses it later). Either a request socket
/// (no groups: one request, its reply) or a subscription (multicast groups: notifications).
/// Not thread-safe: the owner serialises use.
final class NetlinkSocket {
    let descriptor: Int32
    private var buffer: [UInt8]

    /// AF_NETLINK and NETLINK_ROUTE from <linux/netlink.h>; sizeof(struct sockaddr_nl).
    static let familyNetlink: Int32 = 16
    static let protocolRoute: Int32 = 0
    static let socketAddressLength = 12
    /// A receive never needs more: the kernel sizes netlink datagrams to a page or 32 KiB.
    static let receiveBufferBytes = 65536
    /// The kernel's queue for notifications: a burst (an interface going down with many
    /// neighbours) fits; more is ENOBUFS, after which everything is resolved again.
    static let subscriptionQueueBytes: Int32 = 4 << 20
    /// How long a request waits for its reply, and a subscription's receive before it checks
    /// whether it should stop.
    static let requestTimeoutMilliseconds = 1000
    static let pollMilliseconds = 200

    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var errno: Int32
        var description: String { "\(operation): \(String(cString: strerror(errno)))" }
    }

    /// A socket bound to `groups` (the RTMGRP_* bit mask; 0 for a request socket).
    init(groups: UInt32) throws(Failure) {
        let descriptor = socket(Self.familyNetlink, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Self.protocolRoute)
        guard descriptor >= 0 else { throw Failure(operation: "socket(AF_NETLINK)", errno: errno) }
        self.descriptor = descriptor
        buffer = [UInt8](repeating: 0, count: Self.receiveBufferBytes)
        do throws(Failure) {
            if groups != 0 {
                var size = Self.subscriptionQueueBytes
                // SO_RCVBUFFORCE needs CAP_NET_ADMIN, which an attaching process has; else the
                // sysctl-capped SO_RCVBUF.
                if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                    _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            var address = [UInt8](repeating: 0, count: Self.socketAddressLength)
            NetlinkRequest.put(UInt16(Self.familyNetlink), into: &address, at: 0)
            NetlinkRequest.put(groups, into: &address, at: 8)
            let bound = address.withUnsafeBytes { raw in
                bind(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(Self.socketAddressLength))
            }
            guard bound == 0 else { throw Failure(operation: "bind(AF_NETLINK)", errno: errno) }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    func transmit(_ message: [UInt8]) throws(Failure) {
        let sent = message.withUnsafeBytes { raw in
            send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
        }
        guard sent == message.count else { throw Failure(operation: "send(netlink)", errno: sent < 0 ? errno : EMSGSIZE) }
    }

    /// The next datagram, or nil when none arrived within `milliseconds`. A datagram larger
    /// than the buffer is an EMSGSIZE failure (never the case for the replies asked for).
    func receive(waitingAtMost milliseconds: Int) throws(Failure) -> [UInt8]? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(milliseconds))
        if ready == 0 { return nil }
        if ready < 0 {
            if errno == EINTR { return nil }
            throw Failure(operation: "poll(netlink)", errno: errno)
        }
        let count = buffer.withUnsafeMutableBytes { raw in
            recv(descriptor, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT) | Int32(MSG_TRUNC))
        }
        if count < 0 {
            if errno == EAGAIN || errno == EINTR { return nil }
            throw Failure(operation: "recv(netlink)", errno: errno)
        }
        guard count <= buffer.count else { throw Failure(operation: "recv(netlink)", errno: EMSGSIZE) }
        return Array(buffer[0..<count])
    }

    /// Sends one request and returns the messages of its reply (those carrying `sequence`, up to
    /// the first that is not part of a multi-part answer).
    func request(_ message: [UInt8], sequence: UInt32) throws(Failure) -> [NetlinkMessage] {
        try transmit(message)
        var reply: [NetlinkMessage] = []
        while true {
            guard let datagram = try receive(waitingAtMost: Self.requestTimeoutMilliseconds) else {
                throw Failure(operation: "netlink reply", errno: ETIMEDOUT)
            }
            let messages: [NetlinkMessage]
            do throws(NetlinkParseError) {
                messages = try NetlinkParser.parse(datagram)
            } catch {
                throw Failure(operation: "netlink reply: \(error)", errno: EPROTO)
            }
            for message in messages where message.sequence == sequence {
                switch message.body {
                case .done, .error:
                    reply.append(message)
                    return reply
                default:
                    reply.append(message)
                    if message.flags & Netlink.flagMulti == 0 { return reply }
                }
            }
        }
    }
}
