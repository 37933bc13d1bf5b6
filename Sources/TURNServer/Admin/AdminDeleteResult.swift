public struct AdminDeleteResult: Codable, Hashable, Sendable {
    public var deleted: [String]
}
