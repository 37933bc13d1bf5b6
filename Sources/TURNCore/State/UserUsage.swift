/// What one user holds in this core: quota units (each allocation, pending Allocate and reserved
/// port is one; RFC 8656 §7.2) and the byte budget its allocations share.
struct UserUsage: Sendable {
    var held: Int
    /// The user's budget (`RelayConfiguration.bandwidthPerUser`), shared with the other cores
    /// when a `SharedQuota` hands it out; kept while the user holds a unit here.
    var bandwidth: SharedTokenBucket?
}
