import NIOCore
import STUNWire
#if canImport(Glibc)
import Glibc
#endif

/// A TURN client over one blocking UDP socket (RFC 8656 over UDP), made in whatever network
/// namespace the creating thread is in: Allocate with the long-term credential retry, permissions,
/// channels, ChannelData, Refresh. Just enough to drive `turnpike serve` from another namespace.
final class BlockingTURNClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    let local: TransportAddress
    let server: TransportAddress
    let username: String
    let password: String
    private var realm: String?
    private var nonce: String?
    private var nextTransaction: UInt64 = 1

    init(local: TransportAddress, server: TransportAddress, username: String, password: String) throws {
        let descriptor = socket(local.family == .ipv4 ? AF_INET : AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard Sockets.withSocketAddress(local, { bind(descriptor, $0, $1) }) == 0 else {
            close(descriptor)
            throw Failure(description: "bind \(local): errno \(errno)")
        }
        fd = descriptor
        self.local = local
        self.server = server
        self.username = username
        self.password = password
    }

    deinit { close(fd) }

    // MARK: Datagrams

    func send(_ bytes: [UInt8]) throws {
        let sent = Sockets.withSocketAddress(server) { address, length in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, address, length) }
        }
        guard sent == bytes.count else { throw Failure(description: "sendto \(server): errno \(errno)") }
    }

    /// The next datagram from the server, nil after the 2 s timeout.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? Array(buffer.prefix(count)) : nil
    }

    // MARK: ChannelData (RFC 8656 §12.4)

    func sendChannelData(_ channel: UInt16, _ payload: [UInt8]) throws {
        var bytes = ByteBuffer()
        ChannelData(channel: ChannelNumber(rawValue: channel), payload: ByteBuffer(bytes: payload)).encode(into: &bytes, padded: false)
        try send(Array(bytes.readableBytesView))
    }

    /// The next ChannelData message, skipping anything else; nil after a timeout.
    func receiveChannelData() -> (channel: UInt16, payload: [UInt8])? {
        while let datagram = receive() {
            guard let message = try? ChannelData.decode(datagram: ByteBuffer(bytes: datagram)) else { continue }
            return (message.channel.rawValue, Array(message.payload.readableBytesView))
        }
        return nil
    }

    // MARK: Requests (RFC 8489 §6.2, §9.2)

    private var key: [UInt8] {
        (try? LongTermCredentials.key(username: username, realm: realm ?? "", password: password, algorithm: .md5)) ?? []
    }

    private func transact(_ method: Method, _ attributes: [Attribute]) throws -> STUNMessage {
        nextTransaction += 1
        let id = TransactionID(high: 0x7E57_0000_0000_0000 | nextTransaction, low: UInt32(truncatingIfNeeded: nextTransaction))
        var all = attributes
        var options = EncodingOptions(fingerprint: true)
        if let realm, let nonce {
            all += [.username(username), .realm(realm), .nonce(nonce)]
            options.messageIntegrityKey = key
        }
        let request = try STUNMessage(type: MessageType(method, .request), transactionID: id, attributes: all).encode(options)
        try send(Array(request.readableBytesView))
        while let datagram = receive() {
            guard let decoded = try? STUNMessage.decode(ByteBuffer(bytes: datagram)),
                  decoded.message.transactionID == id else { continue }
            return decoded.message
        }
        throw Failure(description: "\(method): no response from \(server)")
    }

    /// A request, sent again with credentials after a 401 or 438 that names realm and nonce.
    @discardableResult
    func request(_ method: Method, _ attributes: [Attribute]) throws -> STUNMessage {
        var response = try transact(method, attributes)
        if let code = response.errorCode?.code, code == 401 || code == 438, let realm = response.realm, let nonce = response.nonce {
            self.realm = realm
            self.nonce = nonce
            response = try transact(method, attributes)
        }
        guard response.type.messageClass == .successResponse else {
            throw Failure(description: "\(method) failed: \(response.errorCode.map { "\($0)" } ?? "no error code")")
        }
        return response
    }

    /// RFC 8656 §7.1: a UDP relay of `family`; returns the relayed transport address.
    func allocate(family: AddressFamily) throws -> TransportAddress {
        let response = try request(.allocate, [.requestedTransport(17), .requestedAddressFamily(family)])
        guard let relayed = response.xorRelayedAddresses.first else { throw Failure(description: "no XOR-RELAYED-ADDRESS") }
        return relayed
    }

    func bindChannel(_ channel: UInt16, to peer: TransportAddress) throws {
        try request(.createPermission, [.xorPeerAddress(peer)])
        try request(.channelBind, [.channelNumber(ChannelNumber(rawValue: channel)), .xorPeerAddress(peer)])
    }

    /// RFC 8656 §8: LIFETIME 0 deletes the allocation.
    func deallocate() throws {
        try request(.refresh, [.lifetime(0)])
    }
}
