/// An IP address and a port: what RFC 8489 calls a transport address.
public struct TransportAddress: Hashable, Sendable {
    public var ip: IPAddress
    public var port: UInt16

    public init(ip: IPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    public var family: AddressFamily { ip.family }

    /// Parses `192.0.2.1:3478` or `[2001:db8::1]:3478`.
    public init?(_ text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                  text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard case .some(.v6) = IPAddress(String(host)) else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard case .some(.v4) = IPAddress(String(host)) else { return nil }
        }
        // Digits only: `UInt16("+80")` would accept a sign.
        guard let ip = IPAddress(String(host)), portText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let port = UInt16(portText) else { return nil }
        self.init(ip: ip, port: port)
    }
}

extension TransportAddress: CustomStringConvertible {
    public var description: String {
        switch ip {
        case .v4: "\(ip):\(port)"
        case .v6: "[\(ip)]:\(port)"
        }
    }
}
