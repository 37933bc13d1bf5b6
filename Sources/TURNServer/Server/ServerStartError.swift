/// Why the server could not start (a port in use, an address this host does not have, a bad
/// certificate): one line for the operator, no backtrace.
public struct ServerStartError: Error, CustomStringConvertible, Hashable, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
