/// Why a netlink datagram was not accepted. The resolver drops such a datagram and resolves
/// everything again (it may have carried a change).
public struct NetlinkParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
