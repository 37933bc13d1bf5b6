/// The outcome of a successful reload: the configuration to switch to as a whole, which groups
/// it changes, and which changed groups were ignored because they need a restart.
public struct ConfigurationReload: Hashable, Sendable {
    /// Fully validated; groups that cannot change at run time hold the running values.
    public var configuration: ServerConfiguration
    /// Groups whose new values take effect.
    public var applied: [ConfigurationGroup]
    /// Groups that changed in the sources but keep their running values until a restart.
    public var restartRequired: [ConfigurationGroup]
    /// One line per restart-only change, plus the load's own warnings.
    public var warnings: [String]

    public init(configuration: ServerConfiguration, applied: [ConfigurationGroup], restartRequired: [ConfigurationGroup], warnings: [String]) {
        self.configuration = configuration
        self.applied = applied
        self.restartRequired = restartRequired
        self.warnings = warnings
    }
}
