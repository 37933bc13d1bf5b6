/// A per-user allocation count shared by every core of one server (RFC 8656 §7.2: 486 when a
/// user's quota is reached). Each core counts its own allocations; a server running one core
/// per event loop injects one of these so the quota holds across cores. The core stays free of
/// locks: it only calls these two methods, and the shell's implementation does the locking.
public protocol SharedAllocationQuota: Sendable {
    /// Counts one more allocation for `user`, or returns false (and counts nothing) when the
    /// user is at the quota.
    func acquire(user: String) -> Bool
    /// Gives back one allocation taken with `acquire`.
    func release(user: String)
}
