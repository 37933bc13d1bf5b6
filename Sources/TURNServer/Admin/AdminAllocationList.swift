public struct AdminAllocationList: Codable, Hashable, Sendable {
    public var allocations: [AdminAllocation]
}
