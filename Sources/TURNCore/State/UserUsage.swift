/// What one user holds in this core: allocations (for the quota) and a shared byte budget.
struct UserUsage: Sendable {
    var allocations: Int
    var bandwidth: TokenBucket?
}
