extension RelayCore {
    /// A configuration reload (DESIGN.md: SIGHUP) without dropping allocations. Credentials,
    /// nonce key, peer policy, quotas, limits, budgets for new allocations, SOFTWARE, the
    /// alternate server and the password algorithms apply from the next input. The relay
    /// addresses and port range stay, since live allocations hold ports in them; so do the drain
    /// flag (the shell's) and the reply budget's per-source state. The amplification budget
    /// takes its new settings and keeps its credit (up to the new burst).
    public mutating func reload(_ newConfiguration: RelayConfiguration) {
        var next = newConfiguration
        next.relayAddresses = configuration.relayAddresses
        next.portRange = configuration.portRange
        next.draining = configuration.draining
        configuration = next
        amplificationBudget.reconfigure(bytesPerSecond: next.amplificationBytesPerSecond, burst: next.amplificationBurst)
    }
}
