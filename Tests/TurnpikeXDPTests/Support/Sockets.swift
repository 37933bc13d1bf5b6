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
