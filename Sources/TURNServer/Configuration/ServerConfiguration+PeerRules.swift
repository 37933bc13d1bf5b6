import STUNWire
import TURNCore

extension ServerConfiguration {
    /// Operator CIDR lists layered on the built-in special-purpose deny list (see `PeerPolicy`).
    public struct PeerRules: Hashable, Sendable {
        public var allow: [CIDR]
        public var deny: [CIDR]

        public init(allow: [CIDR], deny: [CIDR]) {
            self.allow = allow
            self.deny = deny
        }
    }
}
