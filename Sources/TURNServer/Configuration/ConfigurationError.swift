/// One problem found in the configuration: which setting, the value it had, and what was
/// expected instead. Rendered as one line, for `check-config` and for the log.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The setting's YAML key in dotted form (`relay.port-min`), or a file-level subject.
    public var key: String
    /// The offending value as given (secrets are replaced by `<redacted>`); nil when the
    /// problem is a missing or conflicting setting rather than one bad value.
    public var value: String?
    /// What would have been accepted.
    public var expected: String
    /// Where the value came from (`--relay-port-min`, `TURNPIKE_RELAY_PORT_MIN`, `file line 12`),
    /// when known.
    public var source: String?

    public init(key: String, value: String?, expected: String, source: String? = nil) {
        self.key = key
        self.value = value
        self.expected = expected
        self.source = source
    }

    public var description: String {
        let subject = source.map { "\(key) (\($0))" } ?? key
        if let value {
            return "\(subject): \(Self.quoted(value)) is invalid; expected \(expected)"
        }
        return "\(subject): \(expected)"
    }

    static let redacted = "<redacted>"

    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
