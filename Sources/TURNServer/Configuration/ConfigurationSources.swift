/// The inputs of one load, captured so a reload (SIGHUP) reads exactly the same sources again:
/// the YAML file is re-read from disk; the environment and flags are the ones the process
/// started with. Tests inject the environment dictionary instead of calling setenv.
public struct ConfigurationSources: Hashable, Sendable {
    /// The YAML file, if one was given.
    public var filePath: String?
    /// The process environment; only `TURNPIKE_*` variables are read.
    public var environment: [String: String]
    /// Setting flags (`--relay-port-min 50000`, `--peers-allow=10.1.0.0/16`), without the
    /// program or subcommand name.
    public var arguments: [String]

    public init(filePath: String? = nil, environment: [String: String] = [:], arguments: [String] = []) {
        self.filePath = filePath
        self.environment = environment
        self.arguments = arguments
    }

    /// The environment variables addressed to turnpike.
    public var turnpikeEnvironment: [String: String] {
        environment.filter { $0.key.hasPrefix(Self.environmentPrefix) }
    }

    /// True when nothing at all configures the server: the development default applies.
    public var isEmpty: Bool {
        filePath == nil && turnpikeEnvironment.isEmpty && arguments.isEmpty
    }

    static let environmentPrefix = Setting.environmentPrefix.uppercased() + "_"
}
