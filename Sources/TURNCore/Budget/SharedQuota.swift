/// The allocation quotas and per-user byte budgets shared by every core of one server, so that
/// they hold server-wide however clients spread over the event loops (RFC 8656 §7.2: 486 when a
/// user's quota is reached, 508 when the server has no capacity). A core counts its own holdings
/// too; the shell injects one of these through `RelayConfiguration.sharedQuota`. The core stays
/// free of locks: it calls these methods on Allocate and when a holding ends, never per packet,
/// and the shell's implementation does the locking. The byte budget it hands out is lock-free.
public protocol SharedQuota: AnyObject, Sendable {
    /// Takes `count` units for `user` (each allocation, pending Allocate and reserved port is
    /// one), or takes nothing and says which limit refused.
    func acquire(user: String, count: Int) -> QuotaRefusal?
    /// Gives back `count` units taken with `acquire`.
    func release(user: String, count: Int)
    /// The byte budget all of `user`'s allocations share on every core, created with `limit`
    /// if the user has none. Called only while the user holds a unit; the budget goes when the
    /// user's last unit is released, as it would with a core of its own.
    func bandwidth(user: String, limit: BandwidthLimit) -> SharedTokenBucket
}
