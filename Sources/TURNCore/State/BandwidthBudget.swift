/// The byte budgets one allocation's relayed data is charged to: its own (this core's alone)
/// and its user's (shared by the user's allocations on every core). Either may be absent.
struct BandwidthBudget: Sendable {
    var allocation: TokenBucket?
    let user: SharedTokenBucket?
}
