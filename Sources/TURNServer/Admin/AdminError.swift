public struct AdminError: Codable, Hashable, Sendable, Error, CustomStringConvertible {
    public var error: String

    public init(error: String) { self.error = error }

    public var description: String { error }
}
