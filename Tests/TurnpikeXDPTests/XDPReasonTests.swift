import CTurnpikeXDP
import Testing
@testable import TurnpikeXDP

@Suite struct XDPReasonTests {
    @Test func registryIsDenseAndNamesAreUnique() {
        #expect(XDPReason.all.map(\.rawValue) == Array(1..<XDPReason.countSlots))
        #expect(Set(XDPReason.all.map(\.name)).count == XDPReason.all.count)
        #expect(XDPReason(rawValue: 0) == nil)
        #expect(XDPReason(rawValue: XDPReason.countSlots) == nil)
    }

    /// Metric label values: lowercase words joined by underscores.
    @Test(arguments: XDPReason.all) func nameIsALabelValue(reason: XDPReason) {
        #expect(!reason.name.isEmpty)
        #expect(reason.name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) })
    }

    @Test func verdictsMatchTheirConstants() {
        #expect(XDPReason(rawValue: TURNPIKE_REASON_CHANNEL_UNBOUND.rawValue)?.verdict == .pass)
        #expect(XDPReason(rawValue: TURNPIKE_REASON_CHANNELDATA_TRUNCATED.rawValue)?.verdict == .drop)
        #expect(XDPReason(rawValue: TURNPIKE_REASON_TX_TO_PEER.rawValue)?.verdict == .tx)
        #expect(XDPReason(rawValue: TURNPIKE_REASON_REDIRECT_TO_CLIENT.rawValue)?.verdict == .redirect)
        #expect(XDPReason.named("not_channeldata")?.rawValue == TURNPIKE_REASON_NOT_CHANNELDATA.rawValue)
        // Drops are only for what is certainly ours and certainly bad.
        #expect(XDPReason.all.filter { $0.verdict == .drop }.map(\.name) == ["channeldata_truncated", "channeldata_excess"])
    }
}
