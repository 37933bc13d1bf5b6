import ArgumentParser

/// The configuration options `turnpike serve` takes: `--config FILE` (or `TURNPIKE_CONFIG`) plus
/// any setting as a flag (`--relay-port-min 50000`, `--peers-allow 10.1.0.0/16`), which are
/// forwarded to swift-configuration's `CommandLineArgumentsProvider`. Unknown setting flags are
/// reported by the load, with a suggestion, rather than by the argument parser.
public struct ConfigurationOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("config"), help: ArgumentHelp("YAML configuration file (default: $TURNPIKE_CONFIG).", valueName: "file"))
    public var configFile: String?

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Any setting as a flag, e.g. --relay-port-min 50000; see docs/configuration.md.", valueName: "setting-flags"))
    public var settingFlags: [String] = []

    public init() {}

    /// The sources these options and `environment` describe.
    public func sources(environment: [String: String]) -> ConfigurationSources {
        let file = configFile ?? environment[ServerConfiguration.fileEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        return ConfigurationSources(filePath: file, environment: environment, arguments: settingFlags)
    }
}
