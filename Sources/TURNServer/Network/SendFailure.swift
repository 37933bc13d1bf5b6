#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why the kernel refused a UDP datagram, grouped by what the operator can do about it. A
/// refused datagram is counted and dropped; its socket stays open (a relay must never let one
/// destination, spoofed or real, take a listener or a relay socket down).
enum SendFailure: String, CaseIterable, Sendable, Hashable {
    /// EINVAL: a destination the kernel will not address (port 0, a link-local address without a
    /// scope, a family the socket does not speak).
    case invalidDestination = "invalid_destination"
    /// EPERM, EACCES: a firewall rule (netfilter) or a broadcast address.
    case notPermitted = "not_permitted"
    /// ENETUNREACH, EHOSTUNREACH, EHOSTDOWN: no route, or ICMP said so.
    case unreachable
    /// EADDRNOTAVAIL: the socket's own address was removed from the host.
    case addressNotAvailable = "address_not_available"
    /// EMSGSIZE: larger than the path allows with DF set, or than a datagram can be.
    case messageTooLarge = "message_too_large"
    /// EAGAIN, ENOBUFS: the socket's send buffer (or the device queue) is full.
    case bufferFull = "buffer_full"
    /// The socket was closed and is being bound again (no system call was made).
    case socketClosed = "socket_closed"
    /// Anything else; still never fatal for the socket.
    case other

    init(errno code: Int32) {
        switch code {
        case EINVAL, EAFNOSUPPORT, EDESTADDRREQ: self = .invalidDestination
        case EPERM, EACCES: self = .notPermitted
        case ENETUNREACH, EHOSTUNREACH, EHOSTDOWN, ENETDOWN, ECONNREFUSED: self = .unreachable
        case EADDRNOTAVAIL: self = .addressNotAvailable
        case EMSGSIZE: self = .messageTooLarge
        case EAGAIN, ENOBUFS: self = .bufferFull
        default: self = .other
        }
    }
}

/// Which kind of socket a datagram left from, as the `socket` label of the send-failure metric.
enum DatagramSocketRole: String, CaseIterable, Sendable, Hashable {
    /// A UDP listener: responses and ChannelData/Data indications to clients.
    case listener
    /// A relay socket: datagrams to peers.
    case relay
}

/// Send failures by socket role and reason (a fixed, bounded label set).
struct SendFailureKey: Hashable, Sendable {
    var role: DatagramSocketRole
    var reason: SendFailure
}
