import Logging

/// swift-log's process-wide handler for `turnpike serve`: text or JSON lines on standard error
/// at the configured level.
public enum LogSetup {
    public static func bootstrap(_ logging: ServerConfiguration.Logging) {
        let level = Logger.Level(rawValue: logging.level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            switch logging.format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
