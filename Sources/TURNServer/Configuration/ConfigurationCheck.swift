/// `turnpike check-config FILE`: load and validate without starting anything.
public enum ConfigurationCheck {
    public struct Report: Hashable, Sendable {
        /// 0 when valid, 1 when not.
        public var exitStatus: Int32
        /// The one-line summary, or every error, one per line.
        public var lines: [String]
        /// Warnings about a valid configuration.
        public var warnings: [String]
    }

    public static let validStatus: Int32 = 0
    public static let invalidStatus: Int32 = 1

    /// Checks `file` on its own, or together with the `TURNPIKE_*` variables in `environment`
    /// when it is not empty (as `serve` would see them). With `checkingFiles` false, TLS files
    /// need not exist (a file checked away from the host it is for).
    public static func run(file: String, environment: [String: String] = [:], checkingFiles: Bool = true) -> Report {
        var random = SecureRandomNumberGenerator()
        let sources = ConfigurationSources(filePath: file, environment: environment.filter { $0.key != ServerConfiguration.fileEnvironmentVariable })
        switch ServerConfiguration.load(from: sources, checkingFiles: checkingFiles, random: &random) {
        case .success(let loaded):
            return Report(exitStatus: validStatus, lines: ["\(file): valid; \(loaded.configuration.summary)"], warnings: loaded.warnings)
        case .failure(let errors):
            return Report(exitStatus: invalidStatus, lines: errors.errors.map(\.description), warnings: [])
        }
    }
}
