import STUNWire

extension TURNClient {
    /// Where a UDP client binds when not told: loopback for a loopback server (the tests' case),
    /// the unspecified address of the server's family otherwise, so the kernel picks the source.
    static func defaultLocalHost(for server: TransportAddress) -> String {
        switch server.ip {
        case .v4(let address): address.rawValue >> 24 == 127 ? "127.0.0.1" : "0.0.0.0"
        case .v6(let address): address.rawValue == 1 ? "::1" : "::"
        }
    }
}
