/// One configuration key, named once and spelled three ways: the dotted YAML path
/// (`relay.port-min`), the environment variable (`TURNPIKE_RELAY_PORT_MIN`) and the flag
/// (`--relay-port-min`). The spellings follow swift-configuration's key encoders for
/// `EnvironmentVariablesProvider` (under the `turnpike` prefix) and `CommandLineArgumentsProvider`.
public struct Setting: Hashable, Sendable, CustomStringConvertible {
    public enum Shape: Hashable, Sendable {
        /// One value.
        case scalar
        /// A YAML sequence; comma-separated in an environment variable; a repeated or
        /// comma-separated flag.
        case list
    }

    public let key: String
    public let shape: Shape
    /// Never echoed in errors or summaries.
    public let isSecret: Bool

    public init(_ key: String, _ shape: Shape = .scalar, secret: Bool = false) {
        self.key = key
        self.shape = shape
        self.isSecret = secret
    }

    public var components: [String] { key.split(separator: ".").map(String.init) }

    public var environmentVariable: String { Self.environmentVariable(for: components) }

    public var flag: String { Self.flag(for: components) }

    public var description: String { key }

    /// The prefix every environment variable of ours carries (as its first key component).
    public static let environmentPrefix = "turnpike"

    static func environmentVariable(for components: [String]) -> String {
        ([environmentPrefix] + components).map { component in
            String(component.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        }.joined(separator: "_")
    }

    static func flag(for components: [String]) -> String {
        "--" + components.joined(separator: "-")
    }
}
