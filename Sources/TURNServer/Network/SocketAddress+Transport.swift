import NIOCore
import STUNWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension TransportAddress {
    /// The address NIO reports, as the core's value type; nil for a Unix-domain address. Reads
    /// the sockaddr directly, so nothing is allocated (this runs for every received datagram).
    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            let raw = v4.address
            self.init(ip: .v4(IPv4Address(rawValue: UInt32(bigEndian: raw.sin_addr.s_addr))), port: UInt16(bigEndian: raw.sin_port))
        case .v6(let v6):
            let raw = v6.address
            var value: UInt128 = 0
            withUnsafeBytes(of: raw.sin6_addr) { bytes in
                for byte in bytes { value = value << 8 | UInt128(byte) }
            }
            self.init(ip: .v6(IPv6Address(rawValue: value)), port: UInt16(bigEndian: raw.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }

    /// The NIO address for this transport address (binds and tests; UDP sends build their
    /// sockaddrs in `DatagramSendQueue` without NIO).
    var socketAddress: SocketAddress {
        switch ip {
        case .v4(let v4):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = port.bigEndian
            raw.sin_addr.s_addr = v4.rawValue.bigEndian
            return SocketAddress(raw, host: v4.description)
        case .v6(let v6):
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = port.bigEndian
            let bytes = v6.bytes
            withUnsafeMutableBytes(of: &raw.sin6_addr) { destination in
                for (index, byte) in bytes.enumerated() { destination[index] = byte }
            }
            return SocketAddress(raw, host: v6.description)
        }
    }
}
