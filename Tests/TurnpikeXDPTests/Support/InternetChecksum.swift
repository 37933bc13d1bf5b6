/// RFC 1071 computed the plain way, byte pair by byte pair, independent of the program's
/// incremental arithmetic: used to build expected packets and to verify every output.
enum InternetChecksum {
    /// The one's complement of the one's complement sum of `bytes` (odd length padded with 0).
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        ~sum(bytes)
    }

    /// The folded one's complement sum.
    static func sum(_ bytes: [UInt8]) -> UInt16 {
        var total: UInt32 = 0
        var index = 0
        while index < bytes.count {
            let high = UInt32(bytes[index]) << 8
            let low = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            total += high | low
            index += 2
        }
        while total > 0xffff { total = (total & 0xffff) + (total >> 16) }
        return UInt16(total)
    }

    /// The pseudo-header of RFC 768 (IPv4) or RFC 8200 §8.1 (IPv6) for a UDP datagram.
    static func pseudoHeader(source: [UInt8], destination: [UInt8], udpLength: Int) -> [UInt8] {
        let length = [UInt8(udpLength >> 8), UInt8(udpLength & 0xff)]
        if source.count == 4 {
            return source + destination + [0, 17] + length
        }
        return source + destination + [0, 0] + length + [0, 0, 0, 17]
    }

    /// The UDP checksum as sent: 0 computed is sent as 0xffff (RFC 768).
    static func udp(source: [UInt8], destination: [UInt8], datagram: [UInt8]) -> UInt16 {
        let value = checksum(pseudoHeader(source: source, destination: destination, udpLength: datagram.count) + datagram)
        return value == 0 ? 0xffff : value
    }

    /// True when an IP packet's IPv4 header checksum (if IPv4) and UDP checksum verify; an IPv4
    /// UDP checksum of 0 means none and verifies.
    static func verify(ipPacket packet: [UInt8]) -> Bool {
        guard let first = packet.first else { return false }
        let headerLength: Int
        let source: [UInt8], destination: [UInt8]
        if first >> 4 == 4 {
            headerLength = Int(first & 0x0f) * 4
            guard packet.count >= headerLength + 8, sum(Array(packet[0..<headerLength])) == 0xffff else { return false }
            source = Array(packet[12..<16])
            destination = Array(packet[16..<20])
        } else {
            headerLength = 40
            guard packet.count >= 48 else { return false }
            source = Array(packet[8..<24])
            destination = Array(packet[24..<40])
        }
        let datagram = Array(packet[headerLength...])
        let udpLength = Int(datagram[4]) << 8 | Int(datagram[5])
        guard udpLength == datagram.count else { return false }
        if source.count == 4 && datagram[6] == 0 && datagram[7] == 0 { return true }
        return sum(pseudoHeader(source: source, destination: destination, udpLength: udpLength) + datagram) == 0xffff
    }
}
