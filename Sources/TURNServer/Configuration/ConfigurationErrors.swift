/// Every problem found in one load, in the order the settings were read, so an operator fixes
/// them all in one pass instead of one per restart.
public struct ConfigurationErrors: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]

    public init(_ errors: [ConfigurationError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
