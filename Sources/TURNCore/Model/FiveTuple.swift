import STUNWire

/// Client address, server address and transport: what identifies an allocation (RFC 8656 §2).
public struct FiveTuple: Hashable, Sendable {
    public var client: TransportAddress
    public var server: TransportAddress
    public var transport: ClientTransport

    public init(client: TransportAddress, server: TransportAddress, transport: ClientTransport) {
        self.client = client
        self.server = server
        self.transport = transport
    }
}

extension FiveTuple: CustomStringConvertible {
    public var description: String { "\(transport):\(client)->\(server)" }
}
