import STUNWire
#if canImport(Glibc)
import Glibc
#endif

/// Minimal blocking sockets for the namespace tests: a UDP datagram from a bound local socket
/// (which leaves with an offloaded, partial checksum over veth) and a raw Ethernet frame through
/// an AF_PACKET socket (which leaves exactly as built).
enum Sockets {
    /// Sends `payload` from `source` to `destination` over a UDP socket created in the calling
    /// thread's namespace.
    static func sendUDP(_ payload: [UInt8], from source: TransportAddress, to destination: TransportAddress) throws {
        let family = source.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ShellError(message: "socket: errno \(errno)") }
        defer { close(fd) }
        let bound = withSocketAddress(source) { bind(fd, $0, $1) }
        guard bound == 0 else { throw ShellError(message: "bind \(source): errno \(errno)") }
        let sent = withSocketAddress(destination) { address, length in
            payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, address, length) }
        }
        guard sent == payload.count else { throw ShellError(message: "sendto \(destination): errno \(errno)") }
    }

    /// Transmits a whole Ethernet frame on `interfaceIndex`.
    static func sendFrame(_ frame: [UInt8], interfaceIndex: UInt32) throws {
        let fd = socket(AF_PACKET, Int32(SOCK_RAW.rawValue), 0)
        guard fd >= 0 else { throw ShellError(message: "packet socket: errno \(errno)") }
        defer { close(fd) }
        // struct sockaddr_ll (<linux/if_packet.h>, not in Swift's Glibc module), 20 bytes:
        // family, protocol, ifindex, hatype, pkttype, halen, addr[8].
        var address = [UInt8](repeating: 0, count: 20)
        withUnsafeBytes(of: UInt16(AF_PACKET)) { address.replaceSubrange(0..<2, with: $0) }
        withUnsafeBytes(of: Int32(interfaceIndex)) { address.replaceSubrange(4..<8, with: $0) }
        address[11] = 6
        address.replaceSubrange(12..<18, with: frame[0..<6])
        let sent = address.withUnsafeBytes { raw in
            frame.withUnsafeBytes {
                sendto(fd, $0.baseAddress, $0.count, 0, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            }
        }
        guard sent == frame.count else { throw ShellError(message: "sendto on ifindex \(interfaceIndex): errno \(errno)") }
    }

    static func withSocketAddress<R>(_ address: TransportAddress, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch address.ip {
        case .v4(let ip):
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = address.port.bigEndian
            storage.sin_addr.s_addr = ip.rawValue.bigEndian
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let ip):
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin6_addr) { raw in
                for (index, byte) in ip.bytes.enumerated() { raw[index] = byte }
            }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}

/// A bound UDP socket that receives with a timeout; created in whatever namespace the calling
/// thread is in, and stays there.
final class UDPReceiver {
    let fd: Int32

    init(boundTo address: TransportAddress) throws {
        fd = socket(address.family == .ipv4 ? AF_INET : AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ShellError(message: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bound = Sockets.withSocketAddress(address) { bind(fd, $0, $1) }
        guard bound == 0 else {
            close(fd)
            throw ShellError(message: "bind \(address): errno \(errno)")
        }
    }

    deinit { close(fd) }

    /// The next datagram and its source, or nil after 2 s.
    func receive() -> (payload: [UInt8], source: TransportAddress)? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                buffer.withUnsafeMutableBytes { recvfrom(fd, $0.baseAddress, $0.count, 0, address, &length) }
            }
        }
        guard count >= 0 else { return nil }
        let source: TransportAddress? = withUnsafeBytes(of: &storage) { raw in
            let family = raw.load(as: sa_family_t.self)
            let port = UInt16(raw[2]) << 8 | UInt16(raw[3])
            if family == sa_family_t(AF_INET) {
                return TransportAddress(ip: .v4(IPv4Address(raw[4], raw[5], raw[6], raw[7])), port: port)
            }
            return IPv6Address(bytes: Array(raw[8..<24])[...]).map { TransportAddress(ip: .v6($0), port: port) }
        }
        guard let source else { return nil }
        return (Array(buffer.prefix(count)), source)
    }
}
