import STUNWire

/// A channel binding as the fast path sees it (RFC 8656 §12): the client's 5-tuple (client and
/// listening transport addresses over UDP), the channel number, and the allocation's relayed
/// transport address with the bound peer. It becomes one entry in each route map.
public struct XDPChannelRoute: Hashable, Sendable {
    /// The client's transport address as the server sees it (after any NAT).
    public var client: TransportAddress
    /// The server's listening transport address the client sends to.
    public var server: TransportAddress
    public var channel: ChannelNumber
    /// The allocation's relayed transport address.
    public var relayed: TransportAddress
    /// The peer the channel is bound to.
    public var peer: TransportAddress

    public init(client: TransportAddress, server: TransportAddress, channel: ChannelNumber,
                relayed: TransportAddress, peer: TransportAddress) {
        self.client = client
        self.server = server
        self.channel = channel
        self.relayed = relayed
        self.peer = peer
    }

    /// The part that identifies the binding from the client's side.
    var clientKey: ClientKey { ClientKey(client: client, server: server, channel: channel) }

    struct ClientKey: Hashable, Sendable {
        var client: TransportAddress
        var server: TransportAddress
        var channel: ChannelNumber
    }
}
