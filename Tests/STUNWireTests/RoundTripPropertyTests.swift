import NIOCore
import Testing
@testable import STUNWire

/// encode ∘ decode is the identity on random valid messages, with and without integrity and
/// FINGERPRINT. The seed is in every failure message; replay with `TURNPIKE_TEST_SEED=<seed>`.
@Suite struct RoundTripPropertyTests {
    static let plainIterations = 3000
    static let integrityIterations = 1000

    @Test func plainMessagesRoundTrip() throws {
        let seed = SplitMix64.seed(fallback: 0x7475_726E_7069_6B65)
        var random = RandomMessages(SplitMix64(seed: seed))
        var coveredTypes = Set<AttributeType>()
        var coveredComprehension = Set<Bool>()
        for iteration in 0..<Self.plainIterations {
            let message = random.message(trailingIntegrity: true)
            // RFC 8489 §14: padding bytes carry no meaning, so any value must decode the same.
            let padding = UInt8.random(in: 0...255, using: &random.rng)
            let encoded = try message.encode(EncodingOptions(padding: padding))
            let decoded = try STUNMessage.decode(encoded)
            guard decoded.message == message, decoded.ignoredAttributes.isEmpty else {
                Issue.record("seed \(seed) iteration \(iteration): \(message) decoded as \(decoded.message)")
                return
            }
            for attribute in message.attributes {
                coveredTypes.insert(attribute.type)
                if case .unknown(let type, _) = attribute { coveredComprehension.insert(type.isComprehensionRequired) }
            }
        }
        let missing = AttributeType.known.subtracting(coveredTypes).subtracting([.fingerprint])
        #expect(missing.isEmpty, "seed \(seed): never generated \(missing)")
        #expect(coveredComprehension == [true, false], "seed \(seed): unknown types of one class only")
    }

    @Test func protectedMessagesRoundTripAndVerify() throws {
        let seed = SplitMix64.seed(fallback: 0x4D49_5348_4132_3536)
        var random = RandomMessages(SplitMix64(seed: seed))
        for iteration in 0..<Self.integrityIterations {
            let context = "seed \(seed) iteration \(iteration)"
            let message = random.message(trailingIntegrity: false)
            let sha1Key = random.bool() ? random.bytes(random.int(0...64)) : nil
            let sha256Key = sha1Key == nil || random.bool() ? random.bytes(random.int(1...64)) : nil
            let truncation = 4 * random.int(4...8)
            let options = EncodingOptions(
                messageIntegrityKey: sha1Key, messageIntegritySHA256Key: sha256Key,
                messageIntegritySHA256Length: truncation, fingerprint: random.bool())

            let decoded = try STUNMessage.decode(try message.encode(options))
            let attributes = decoded.message.attributes
            #expect(Array(attributes.prefix(message.attributes.count)) == message.attributes, "\(context)")
            var trailer: [AttributeType] = []
            if sha1Key != nil { trailer.append(.messageIntegrity) }
            if sha256Key != nil { trailer.append(.messageIntegritySHA256) }
            if options.fingerprint { trailer.append(.fingerprint) }
            #expect(attributes.dropFirst(message.attributes.count).map(\.type) == trailer, "\(context)")

            try verify(decoded, sha1Key: sha1Key, sha256Key: sha256Key, truncation: truncation, context: context)
        }
    }

    /// A different key. (Appending a zero byte would not do: HMAC pads short keys with zeros.)
    static func wrong(_ key: [UInt8]) -> [UInt8] {
        guard var last = key.last else { return [1] }
        last ^= 0x01
        return key.dropLast() + [last]
    }

    private func verify(
        _ decoded: DecodedMessage, sha1Key: [UInt8]?, sha256Key: [UInt8]?, truncation: Int, context: String
    ) throws {
        if let key = sha1Key {
            try decoded.verifyMessageIntegrity(key: key)
            #expect(throws: WireError(.integrityMismatch), "\(context)") {
                try decoded.verifyMessageIntegrity(key: Self.wrong(key))
            }
        } else {
            #expect(throws: WireError(.integrityMissing), "\(context)") { try decoded.verifyMessageIntegrity(key: []) }
        }
        if let key = sha256Key {
            try decoded.verifyMessageIntegritySHA256(key: key)
            #expect(decoded.messageIntegritySHA256Length == truncation, "\(context)")
            #expect(throws: WireError(.integrityMismatch), "\(context)") {
                try decoded.verifyMessageIntegritySHA256(key: Self.wrong(key))
            }
        } else {
            #expect(throws: WireError(.integrityMissing), "\(context)") {
                try decoded.verifyMessageIntegritySHA256(key: [])
            }
        }
    }
}
