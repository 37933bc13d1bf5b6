/// RTM_NEWLINK / RTM_DELLINK: struct ifinfomsg with IFLA_ADDRESS, IFLA_MTU and IFLA_IFNAME.
public struct NetlinkLink: Hashable, Sendable {
    public var deleted: Bool
    public var interfaceIndex: UInt32
    /// ifi_type: ARPHRD_ETHER for Ethernet.
    public var hardwareType: UInt16
    /// ifi_flags: IFF_UP, IFF_RUNNING, ...
    public var interfaceFlags: UInt32
    public var address: [UInt8]?
    public var mtu: UInt32?
    public var name: String?

    public init(deleted: Bool = false, interfaceIndex: UInt32, hardwareType: UInt16, interfaceFlags: UInt32 = 0,
                address: [UInt8]?, mtu: UInt32?, name: String? = nil) {
        self.deleted = deleted
        self.interfaceIndex = interfaceIndex
        self.hardwareType = hardwareType
        self.interfaceFlags = interfaceFlags
        self.address = address
        self.mtu = mtu
        self.name = name
    }
}
