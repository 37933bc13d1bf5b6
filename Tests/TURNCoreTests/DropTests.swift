import NIOCore
import STUNWire
import Testing
@testable import TURNCore

/// RFC 8489 §6.3: what does not decode, or is not for the server, is dropped silently and counted.
@Suite struct DropTests {
    @Test(arguments: [
        ([UInt8](), DropReason.unrecognizedDatagram),
        ([0x80, 0, 0, 0], .unrecognizedDatagram),
        ([0xC0, 1, 2, 3, 4, 5, 6, 7], .unrecognizedDatagram),
        ([0x00, 0x01, 0x00, 0x00, 0x21, 0x12], .malformedSTUN),
        ([0x00, 0x01, 0x00, 0x04, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0, count: 12), .malformedSTUN),
        ([0x40, 0x00, 0x00, 0x08, 1, 2], .malformedChannelData),
        ([0x40, 0x00], .malformedChannelData),
        ([0x50, 0x00, 0x00, 0x01, 1], .malformedChannelData),
    ])
    func undecodableInputIsDropped(_ bytes: [UInt8], _ reason: DropReason) {
        var harness = Harness()
        let (route, actions) = harness.route(ByteBuffer(bytes: bytes), from: Fixture.udp())
        #expect(route == .none && actions.isEmpty)
        #expect(harness.core.drops[reason] == 1)
        #expect(harness.core.drops.total == 1)
    }

    @Test func responsesAndOtherIndicationsFromClientsAreDropped() throws {
        var harness = Harness()
        let response = try STUNMessage(type: MessageType(.binding, .successResponse), transactionID: TransactionID(high: 1, low: 2)).encode()
        #expect(harness.send(response, from: Fixture.udp()).isEmpty)
        let error = try STUNMessage(type: MessageType(.allocate, .errorResponse), transactionID: TransactionID(high: 1, low: 3),
                                    attributes: [.errorCode(.badRequest)]).encode()
        #expect(harness.send(error, from: Fixture.udp()).isEmpty)
        #expect(harness.core.drops[.unexpectedResponse] == 2)
        let data = try STUNMessage(type: MessageType(.data, .indication), transactionID: TransactionID(high: 1, low: 4)).encode()
        #expect(harness.send(data, from: Fixture.udp()).isEmpty)
        #expect(harness.core.drops[.unexpectedIndication] == 1)
    }

    @Test func peerDatagramToAPortWithoutAllocationIsDropped() {
        var harness = Harness()
        let (route, actions) = harness.fromPeer(ByteBuffer(string: "x"), from: Fixture.peer1, to: TransportAddress(ip: Fixture.relayLocalV4, port: 50_500))
        #expect(route == .none && actions.isEmpty)
        #expect(harness.core.drops[.peerNoAllocation] == 1)
    }

    @Test func dropReasonLabelsAreStableAndDistinct() {
        let labels = DropReason.allCases.map(\.rawValue)
        #expect(Set(labels).count == labels.count)
        #expect(labels.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
        var counters = DropCounters()
        for reason in DropReason.allCases { counters.record(reason) }
        #expect(DropReason.allCases.allSatisfy { counters[$0] == 1 })
    }
}
