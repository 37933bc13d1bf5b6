import STUNWire

/// RTM_NEWNEIGH / RTM_DELNEIGH: struct ndmsg with NDA_DST and NDA_LLADDR.
public struct NetlinkNeighbour: Hashable, Sendable {
    public var deleted: Bool
    public var interfaceIndex: UInt32
    /// ndm_state: NUD_* bits.
    public var state: UInt16
    public var destination: IPAddress?
    public var linkAddress: [UInt8]?

    public init(deleted: Bool = false, interfaceIndex: UInt32, state: UInt16, destination: IPAddress?, linkAddress: [UInt8]?) {
        self.deleted = deleted
        self.interfaceIndex = interfaceIndex
        self.state = state
        self.destination = destination
        self.linkAddress = linkAddress
    }
}
