/// A count per `DropReason`, read by the shell for metrics. Fixed size, no allocation to bump.
public struct DropCounters: Hashable, Sendable {
    private var counts: [UInt64]

    public init() {
        counts = Array(repeating: 0, count: DropReason.allCases.count)
    }

    public subscript(reason: DropReason) -> UInt64 {
        counts[Self.index(reason)]
    }

    public var total: UInt64 { counts.reduce(0, &+) }

    mutating func record(_ reason: DropReason) {
        counts[Self.index(reason)] &+= 1
    }

    private static func index(_ reason: DropReason) -> Int {
        switch reason {
        case .unrecognizedDatagram: 0
        case .malformedSTUN: 1
        case .malformedChannelData: 2
        case .unexpectedResponse: 3
        case .unexpectedIndication: 4
        case .indicationUnknownAttribute: 5
        case .malformedSend: 6
        case .noAllocation: 7
        case .noPermission: 8
        case .peerRefused: 9
        case .peerFamilyMismatch: 10
        case .unboundChannel: 11
        case .peerNoAllocation: 12
        case .peerNoPermission: 13
        case .allocationBandwidth: 14
        case .userBandwidth: 15
        case .replyRateLimited: 16
        case .allocatePending: 17
        case .dataTooLarge: 18
        case .amplificationLimited: 19
        case .authSourceLimited: 20
        case .authUsernameLimited: 21
        case .peerPortZero: 22
        }
    }
}
