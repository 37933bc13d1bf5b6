public struct AdminError: Codable, Hashable, Sendable, Error {
    public var error: String

    public init(error: String) { self.error = error }
}
