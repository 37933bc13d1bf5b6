import ArgumentParser
import NIOCore
import STUNWire

/// `turnpike decode HEX`: prints a STUN message or ChannelData, e.g. copied from a packet capture.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a STUN message or ChannelData given as hex and print its fields."
    )

    @Argument(help: "The message bytes as hex; spaces and newlines are ignored.")
    var hex: [String]

    func run() throws {
        let digits = hex.joined().filter { !$0.isWhitespace }
        guard digits.count % 2 == 0, let bytes = Hex.decode(digits) else {
            throw ValidationError("not an even number of hex digits")
        }
        let buffer = ByteBuffer(bytes: bytes)
        if ChannelData.looksLikeChannelData(buffer) {
            let channelData = try ChannelData.decode(datagram: buffer)
            print("ChannelData channel \(channelData.channel), \(channelData.payload.readableBytes) bytes")
            return
        }
        let decoded = try STUNMessage.decode(buffer)
        print("\(decoded.message.type), transaction \(decoded.message.transactionID)")
        for attribute in decoded.message.attributes {
            print("  \(attribute.type): \(AttributeDescription.describe(attribute))")
        }
        for ignored in decoded.ignoredAttributes {
            print("  \(ignored): ignored (after integrity)")
        }
    }
}

enum Hex {
    static func decode(_ digits: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = digits.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = high.hexDigitValue, let l = low.hexDigitValue else { return nil }
            bytes.append(UInt8(h << 4 | l))
        }
        return bytes
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { $0 < 0x10 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

enum AttributeDescription {
    static func describe(_ attribute: Attribute) -> String {
        switch attribute {
        case .mappedAddress(let a), .xorMappedAddress(let a), .xorPeerAddress(let a),
             .xorRelayedAddress(let a), .alternateServer(let a):
            "\(a)"
        case .username(let s), .realm(let s), .nonce(let s), .software(let s), .alternateDomain(let s):
            "\"\(s)\""
        case .userhash(let b), .messageIntegrity(let b), .messageIntegritySHA256(let b):
            Hex.encode(b)
        case .passwordAlgorithms(let list): list.map(\.description).joined(separator: ", ")
        case .passwordAlgorithm(let a): a.description
        case .errorCode(let e): e.description
        case .unknownAttributes(let types): types.map(\.description).joined(separator: ", ")
        case .fingerprint(let v): "0x" + String(v, radix: 16)
        case .channelNumber(let c): c.description
        case .lifetime(let l): "\(l) s"
        case .data(let d): "\(d.readableBytes) bytes"
        case .requestedTransport(let p): p == 17 ? "UDP" : "protocol \(p)"
        case .requestedAddressFamily(let f), .additionalAddressFamily(let f): "\(f)"
        case .addressErrorCode(let f, let e): "\(f): \(e)"
        case .evenPort(let r): r ? "reserve next" : "even"
        case .reservationToken(let t): "0x" + String(t, radix: 16)
        case .dontFragment: "set"
        case .icmp(let v): "type \(v.type) code \(v.code) data \(v.errorData)"
        case .unknown(_, let v): "\(v.readableBytes) bytes (not understood)"
        }
    }
}
