import STUNWire
#if canImport(Glibc)
import Glibc
#endif

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
