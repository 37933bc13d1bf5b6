extension ServerConfiguration {
    public struct Logging: Hashable, Sendable {
        public var level: LogLevel
        public var format: LogFormat

        public init(level: LogLevel, format: LogFormat) {
            self.level = level
            self.format = format
        }
    }

    /// swift-log's levels, by their names.
    public enum LogLevel: String, Hashable, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }

    public enum LogFormat: String, Hashable, Sendable, CaseIterable {
        case text, json
    }
}
