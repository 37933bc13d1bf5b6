import STUNWire

/// Builds Ethernet frames carrying IPv4 or IPv6 UDP datagrams for the fixtures, with checksums
/// computed from scratch by `InternetChecksum`.
struct PacketBuilder {
    enum UDPChecksum {
        case computed
        /// IPv4 "no checksum".
        case zero
        /// What a local socket leaves for offload (CHECKSUM_PARTIAL): the pseudo-header sum only.
        case partial
    }

    var source: TransportAddress
    var destination: TransportAddress
    var payload: [UInt8]
    var tos: UInt8 = 0
    var ttl: UInt8 = 64
    var identification: UInt16 = 0x1234
    var dontFragment = true
    var checksum = UDPChecksum.computed

    /// The IP packet (no Ethernet header).
    var ipPacket: [UInt8] {
        let udpLength = 8 + payload.count
        var udp = be16(source.port) + be16(destination.port) + be16(UInt16(udpLength)) + [0, 0] + payload
        let src = source.ip.bytes, dst = destination.ip.bytes
        let check: UInt16
        switch checksum {
        case .computed: check = InternetChecksum.udp(source: src, destination: dst, datagram: udp)
        case .zero: check = 0
        case .partial: check = InternetChecksum.sum(InternetChecksum.pseudoHeader(source: src, destination: dst, udpLength: udpLength))
        }
        udp[6] = UInt8(check >> 8)
        udp[7] = UInt8(check & 0xff)
        switch source.ip {
        case .v4:
            var header: [UInt8] = [0x45, tos] + be16(UInt16(20 + udpLength)) + be16(identification)
                + [dontFragment ? 0x40 : 0x00, 0x00, ttl, 17, 0, 0] + src + dst
            let headerCheck = InternetChecksum.checksum(header)
            header[10] = UInt8(headerCheck >> 8)
            header[11] = UInt8(headerCheck & 0xff)
            return header + udp
        case .v6:
            let header: [UInt8] = [0x60 | tos >> 4, tos << 4, 0, 0] + be16(UInt16(udpLength)) + [17, ttl] + src + dst
            return header + udp
        }
    }

    /// The frame from `sourceMAC` to `destinationMAC`.
    func frame(from sourceMAC: [UInt8], to destinationMAC: [UInt8]) -> [UInt8] {
        Self.ethernet(from: sourceMAC, to: destinationMAC, ipPacket: ipPacket)
    }

    static func ethernet(from sourceMAC: [UInt8], to destinationMAC: [UInt8], ipPacket: [UInt8]) -> [UInt8] {
        let type: UInt16 = ipPacket.first.map { $0 >> 4 == 4 } == true ? 0x0800 : 0x86DD
        return destinationMAC + sourceMAC + be16(type) + ipPacket
    }

    /// A ChannelData message (RFC 8656 §12.4) with `padding` extra zero bytes after the data.
    static func channelData(_ channel: UInt16, _ data: [UInt8], padding: Int = 0, length: Int? = nil) -> [UInt8] {
        be16(channel) + be16(UInt16(length ?? data.count)) + data + [UInt8](repeating: 0, count: padding)
    }

    /// Recognisable application data: `count` bytes counting from `seed`.
    static func data(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) &+ $0 &* 7) }
    }
}

func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
