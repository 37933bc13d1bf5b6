import NIOCore
import NIOPosix
import NIOSSL
import STUNWire

/// A TURN client (RFC 8656) over UDP, TCP or TLS (used by `turnpike probe`, `turnpike bench` and
/// the live tests): long-term credentials
/// with MESSAGE-INTEGRITY (RFC 8489 §9.2, the MD5 key, as classic clients send), the 401 dance
/// on the first request, and the requests and indications a client needs.
public final class TURNClient: @unchecked Sendable {
    public enum Transport: String, Sendable, CaseIterable, CustomStringConvertible {
        case udp, tcp, tls
        public var description: String { rawValue }
    }

    public enum Received: Sendable {
        case stun(STUNMessage)
        case channelData(ChannelNumber, ByteBuffer)
    }

    public struct ClientError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private final class DatagramHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let mailbox: Mailbox<Received>
        let tap: DataTap
        init(mailbox: Mailbox<Received>, tap: DataTap) {
            self.mailbox = mailbox
            self.tap = tap
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data).data
            if ChannelData.looksLikeChannelData(bytes), let channelData = try? ChannelData.decode(datagram: bytes) {
                if tap.deliver(channelData.channel, channelData.payload) { return }
                mailbox.put(.channelData(channelData.channel, channelData.payload))
            } else if let decoded = try? STUNMessage.decode(bytes) {
                mailbox.put(.stun(decoded.message))
            }
        }
    }

    private final class StreamHandler: ChannelInboundHandler {
        typealias InboundIn = StreamFrame
        let mailbox: Mailbox<Received>
        let tap: DataTap
        init(mailbox: Mailbox<Received>, tap: DataTap) {
            self.mailbox = mailbox
            self.tap = tap
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .stun(let bytes):
                if let decoded = try? STUNMessage.decode(bytes) { mailbox.put(.stun(decoded.message)) }
            case .channelData(let channelData):
                if tap.deliver(channelData.channel, channelData.payload) { return }
                mailbox.put(.channelData(channelData.channel, channelData.payload))
            }
        }
    }

    public let transport: Transport
    public let channel: any Channel
    public let server: TransportAddress
    public let inbox: Mailbox<Received>
    /// Where ChannelData goes instead of the inbox once `observeChannelData` is called.
    private let tap: DataTap
    public var username: String
    public var password: String
    public var realm: String?
    public var nonce: String?
    /// Messages that arrived while a response was awaited.
    private var stash: [Received] = []
    private var nextTransaction: UInt64 = 1

    /// `localHost`: the address the UDP socket binds; by default the loopback address of the
    /// server's family for a loopback server, else the wildcard address. Over TLS the server's
    /// certificate is checked against `tlsServerName` when one is given, and not checked at all
    /// otherwise (a probe of a server with a self-signed certificate).
    public init(
        _ transport: Transport, server: TransportAddress, group: any EventLoopGroup, username: String, password: String,
        localHost: String? = nil, tlsServerName: String? = nil
    ) async throws {
        self.transport = transport
        self.server = server
        self.username = username
        self.password = password
        let loop = group.next()
        let mailbox = Mailbox<Received>(loop: loop)
        inbox = mailbox
        let tap = DataTap()
        self.tap = tap
        switch transport {
        case .udp:
            let host = localHost ?? Self.defaultLocalHost(for: server)
            channel = try await DatagramBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(DatagramHandler(mailbox: mailbox, tap: tap)) }
                }
                .bind(host: host, port: 0).get()
        case .tcp, .tls:
            var tlsContext: NIOSSLContext?
            if transport == .tls {
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = tlsServerName == nil ? .none : .fullVerification
                tlsContext = try NIOSSLContext(configuration: configuration)
            }
            channel = try await ClientBootstrap(group: loop)
                .channelInitializer { [tlsContext] channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tlsContext { try pipeline.addHandler(try NIOSSLClientHandler(context: tlsContext, serverHostname: tlsServerName)) }
                        try pipeline.addHandler(ByteToMessageHandler(StreamDeframer()))
                        try pipeline.addHandler(StreamHandler(mailbox: mailbox, tap: tap))
                    }
                }
                .connect(to: try server.clientSocketAddress).get()
        }
    }

    /// From now on, ChannelData is handed to `observer` on the client's event loop as it arrives
    /// (for load generation, where a mailbox per packet would cost too much).
    public func observeChannelData(_ observer: @escaping @Sendable (ChannelNumber, ByteBuffer) -> Void) {
        tap.set(observer)
    }

    static func defaultLocalHost(for server: TransportAddress) -> String {
        switch server.ip {
        case .v4(let address): address.rawValue >> 24 == 127 ? "127.0.0.1" : "0.0.0.0"
        case .v6(let address): address.rawValue == 1 ? "::1" : "::"
        }
    }

    public var localAddress: TransportAddress { TransportAddress(clientAddress: channel.localAddress!)! }

    public func close() async {
        try? await channel.close()
    }

    // MARK: Raw I/O

    public func send(_ bytes: ByteBuffer) async throws {
        switch transport {
        case .udp:
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: try server.clientSocketAddress, data: bytes)).get()
        case .tcp, .tls:
            try await channel.writeAndFlush(bytes).get()
        }
    }

    /// Writes several messages and flushes once (load generation); completes when the last is
    /// written.
    public func sendBatch(_ batch: [ByteBuffer]) async throws {
        guard let last = batch.last else { return }
        let destination: SocketAddress? = transport == .udp ? try server.clientSocketAddress : nil
        for bytes in batch.dropLast() {
            if let destination {
                channel.write(AddressedEnvelope(remoteAddress: destination, data: bytes), promise: nil)
            } else {
                channel.write(bytes, promise: nil)
            }
        }
        if let destination {
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: last)).get()
        } else {
            try await channel.writeAndFlush(last).get()
        }
    }

    /// The next message that is not a response being waited for.
    public func receive(within timeout: TimeAmount = .seconds(5)) async throws -> Received {
        if !stash.isEmpty { return stash.removeFirst() }
        return try await inbox.next(within: timeout)
    }

    /// The next ChannelData (RFC 8656 §12) or Data indication (§11.4) payload.
    public func receiveData(within timeout: TimeAmount = .seconds(5)) async throws -> (peer: TransportAddress?, channel: ChannelNumber?, payload: String) {
        while true {
            switch try await receive(within: timeout) {
            case .channelData(let number, let payload):
                return (nil, number, String(buffer: payload))
            case .stun(let message) where message.type == MessageType(.data, .indication):
                return (message.xorPeerAddresses.first, nil, String(buffer: message.data ?? ByteBuffer()))
            case .stun:
                continue
            }
        }
    }

    // MARK: Requests

    public func newTransactionID() -> TransactionID {
        defer { nextTransaction += 1 }
        return TransactionID(high: 0x7E57_C11E_0000_0000 | nextTransaction, low: UInt32(truncatingIfNeeded: nextTransaction))
    }

    public var key: [UInt8] {
        (try? LongTermCredentials.key(username: username, realm: realm ?? "", password: password, algorithm: .md5)) ?? []
    }

    /// Encodes a request: authenticated (USERNAME, REALM, NONCE, MESSAGE-INTEGRITY) once the
    /// client holds a realm and nonce and `authenticate` is true.
    public func encode(_ method: Method, _ attributes: [Attribute], id: TransactionID, authenticate: Bool = true) throws -> ByteBuffer {
        var all = attributes
        var options = EncodingOptions(fingerprint: true)
        if authenticate, let realm, let nonce {
            all += [.username(username), .realm(realm), .nonce(nonce)]
            options.messageIntegrityKey = key
        }
        return try STUNMessage(type: MessageType(method, .request), transactionID: id, attributes: all).encode(options)
    }

    /// Sends a request and returns its response (RFC 8489 §6.2), stashing anything else.
    public func transact(_ method: Method, _ attributes: [Attribute] = [], authenticate: Bool = true, id: TransactionID? = nil) async throws -> STUNMessage {
        let id = id ?? newTransactionID()
        try await send(try encode(method, attributes, id: id, authenticate: authenticate))
        while true {
            let item = try await inbox.next()
            if case .stun(let message) = item, message.transactionID == id,
               message.type.messageClass == .successResponse || message.type.messageClass == .errorResponse {
                return message
            }
            stash.append(item)
        }
    }

    /// A request with the RFC 8489 §9.2.3 retry: a 401 or 438 carries the realm and nonce to
    /// use, and the request is sent again once with credentials.
    public func request(_ method: Method, _ attributes: [Attribute] = []) async throws -> STUNMessage {
        let response = try await transact(method, attributes)
        guard let code = response.errorCode?.code, code == 401 || code == 438,
              let realm = response.realm, let nonce = response.nonce else { return response }
        if code == 401, self.nonce != nil, self.realm == realm {
            return response  // credentials were sent and refused
        }
        self.realm = realm
        self.nonce = nonce
        return try await transact(method, attributes)
    }

    /// RFC 8656 §7.1: Allocate a UDP relay; returns the relayed transport address.
    public func allocate(_ extra: [Attribute] = []) async throws -> TransportAddress {
        let response = try await request(.allocate, [.requestedTransport(17)] + extra)
        guard response.type.messageClass == .successResponse, let relayed = response.xorRelayedAddresses.first else {
            throw ClientError(description: "Allocate failed: \(response.errorCode.map { "\($0)" } ?? "no relayed address")")
        }
        return relayed
    }

    public func createPermission(_ peer: TransportAddress) async throws -> STUNMessage {
        try await request(.createPermission, [.xorPeerAddress(peer)])
    }

    public func channelBind(_ number: UInt16, to peer: TransportAddress) async throws -> STUNMessage {
        try await request(.channelBind, [.channelNumber(ChannelNumber(rawValue: number)), .xorPeerAddress(peer)])
    }

    public func refresh(lifetime: UInt32) async throws -> STUNMessage {
        try await request(.refresh, [.lifetime(lifetime)])
    }

    /// RFC 8656 §11.1: a Send indication (never answered).
    public func sendIndication(_ text: String, to peer: TransportAddress) async throws {
        let message = STUNMessage(
            type: MessageType(.send, .indication), transactionID: newTransactionID(),
            attributes: [.xorPeerAddress(peer), .data(ByteBuffer(string: text))])
        try await send(try message.encode(EncodingOptions(fingerprint: true)))
    }

    /// RFC 8656 §12.4-12.5: ChannelData, padded on streams.
    public func sendChannelData(_ number: UInt16, _ text: String) async throws {
        var bytes = ByteBuffer()
        ChannelData(channel: ChannelNumber(rawValue: number), payload: ByteBuffer(string: text))
            .encode(into: &bytes, padded: transport != .udp)
        try await send(bytes)
    }
}
