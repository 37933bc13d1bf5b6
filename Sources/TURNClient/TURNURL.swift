import NIOCore
import STUNWire

/// A TURN server URI (RFC 7065): `turn:HOST[:PORT][?transport=udp|tcp]` or `turns:HOST[:PORT]`
/// (TLS over TCP). HOST is a name, an IPv4 address or a bracketed IPv6 address.
public struct TURNURL: Hashable, Sendable, CustomStringConvertible {
    /// RFC 8656 §3: 3478 for turn, 5349 for turns.
    static let defaultPort: UInt16 = 3478
    static let defaultSecurePort: UInt16 = 5349

    public var host: String
    public var port: UInt16
    public var transport: TURNClient.Transport

    public init?(_ text: String) {
        let secure: Bool
        var rest: Substring
        if text.hasPrefix("turns:") {
            secure = true
            rest = text.dropFirst("turns:".count)
        } else if text.hasPrefix("turn:") {
            secure = false
            rest = text.dropFirst("turn:".count)
        } else {
            return nil
        }
        var transportName: Substring?
        if let question = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: question)...]
            rest = rest[..<question]
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0] == "transport" else { return nil }
                transportName = parts[1]
            }
        }
        let hostPart: Substring
        var portPart: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portPart = after.dropFirst()
            }
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            hostPart = parts[0]
            portPart = parts.count == 2 ? parts[1] : nil
        }
        guard !hostPart.isEmpty else { return nil }
        host = String(hostPart)
        if let portPart {
            guard let value = UInt16(portPart), value > 0 else { return nil }
            port = value
        } else {
            port = secure ? Self.defaultSecurePort : Self.defaultPort
        }
        switch (secure, transportName) {
        case (false, nil), (false, "udp"): transport = .udp
        case (false, "tcp"): transport = .tcp
        case (true, nil), (true, "tcp"): transport = .tls
        default: return nil  // turns with UDP would be DTLS, which this client does not speak
        }
    }

    public var description: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        switch transport {
        case .udp: return "turn:\(hostText):\(port)?transport=udp"
        case .tcp: return "turn:\(hostText):\(port)?transport=tcp"
        case .tls: return "turns:\(hostText):\(port)"
        }
    }

    /// The server's address: the host itself when it is an IP address, else its first
    /// resolved address (a blocking lookup).
    public func resolve() throws -> TransportAddress {
        if let ip = IPAddress(host) { return TransportAddress(ip: ip, port: port) }
        let address = try SocketAddress.makeAddressResolvingHost(host, port: Int(port))
        guard let resolved = TransportAddress(clientAddress: address) else {
            throw TURNClient.ClientError(description: "cannot resolve \(host)")
        }
        return resolved
    }
}
