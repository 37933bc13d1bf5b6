/// The outcome of a successful load: the configuration and what the operator should hear about
/// it (a generated nonce key, a metrics endpoint on a public address, an unused variable).
public struct LoadedConfiguration: Hashable, Sendable {
    public var configuration: ServerConfiguration
    public var warnings: [String]
    /// True when no source was given and the development default applies.
    public var isDevelopment: Bool

    public init(configuration: ServerConfiguration, warnings: [String], isDevelopment: Bool) {
        self.configuration = configuration
        self.warnings = warnings
        self.isDevelopment = isDevelopment
    }
}
