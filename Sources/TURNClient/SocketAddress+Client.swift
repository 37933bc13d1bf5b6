import NIOCore
import STUNWire

extension TransportAddress {
    /// The address NIO reports, as a wire value; nil for a Unix-domain address. (The client is off
    /// the server's hot path, so it goes through the textual form.)
    public init?(clientAddress address: SocketAddress) {
        guard let host = address.ipAddress, let port = address.port, let ip = IPAddress(host),
              let port16 = UInt16(exactly: port) else { return nil }
        self.init(ip: ip, port: port16)
    }

    /// The NIO address for this transport address.
    public var clientSocketAddress: SocketAddress {
        get throws { try SocketAddress(ipAddress: ip.description, port: Int(port)) }
    }
}
