public struct AdminActionResult: Codable, Hashable, Sendable {
    public var ok: Bool
    public var message: String
}
