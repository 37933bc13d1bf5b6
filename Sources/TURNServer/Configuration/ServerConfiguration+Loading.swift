import Configuration
import Foundation
import STUNWire
import TURNCore

extension ServerConfiguration {
    /// What `turnpike serve` does: the development default when no source is given at all,
    /// else `load(from:random:)`.
    public static func resolve(
        from sources: ConfigurationSources,
        random: inout some RandomNumberGenerator
    ) -> Result<LoadedConfiguration, ConfigurationErrors> {
        guard !sources.isEmpty else {
            return .success(LoadedConfiguration(configuration: development(random: &random), warnings: [], isDevelopment: true))
        }
        return load(from: sources, random: &random)
    }

    /// Reads flags, then `TURNPIKE_*` variables, then the YAML file, then defaults, and
    /// validates the result. On failure, every problem found is returned. Nothing is generated
    /// except a missing nonce key, which produces a warning. With `checkingFiles` false, the TLS
    /// files are not required to exist (documentation examples, configs checked off-host).
    public static func load(
        from sources: ConfigurationSources,
        checkingFiles: Bool = true,
        random: inout some RandomNumberGenerator
    ) -> Result<LoadedConfiguration, ConfigurationErrors> {
        var generated: [UInt8] = []
        for _ in 0..<generatedNonceKeyBytes { generated.append(UInt8.random(in: .min ... .max, using: &random)) }
        return load(from: sources, checkingFiles: checkingFiles, nonceKeyIfUnset: generated)
    }

    /// Bytes of a generated nonce key (HMAC-SHA256 key, RFC 2104 §3: at least the output size).
    static let generatedNonceKeyBytes = 32
    /// Shorter configured nonce keys are rejected.
    public static let minimumNonceKeyBytes = 16

    static func load(
        from sources: ConfigurationSources,
        checkingFiles: Bool,
        nonceKeyIfUnset: [UInt8]
    ) -> Result<LoadedConfiguration, ConfigurationErrors> {
        var errors: [ConfigurationError] = []
        var warnings = KeyCheck.check(environment: sources.environment.filter { $0.key != fileEnvironmentVariable })
        errors += KeyCheck.check(arguments: sources.arguments)

        var providers: [any ConfigProvider] = []
        if !sources.arguments.isEmpty {
            providers.append(CommandLineArgumentsProvider(arguments: [programName] + sources.arguments))
        }
        providers.append(
            EnvironmentVariablesProvider(environmentVariables: sources.turnpikeEnvironment)
                .prefixKeys(with: ConfigKey([Setting.environmentPrefix])))
        var fileUserNames: [String] = []
        if let path = sources.filePath {
            switch readFile(path) {
            case .failure(let error):
                return .failure(ConfigurationErrors(errors + [error]))
            case .success(let (provider, walkErrors, userNames)):
                errors += walkErrors
                fileUserNames = userNames
                if let provider {
                    providers.append(provider)
                } else if !walkErrors.isEmpty {
                    return .failure(ConfigurationErrors(errors))
                }
            }
        }

        let collector = AccessCollector()
        var settings = SettingsReader(reader: ConfigReader(providers: providers, accessReporter: collector), collector: collector)
        var loader = GroupLoader(settings: settings, warnings: warnings)
        let configuration = loader.read(fileUserNames: fileUserNames, nonceKeyIfUnset: nonceKeyIfUnset)
        settings = loader.settings
        warnings = loader.warnings
        errors += settings.errors
        errors += configuration.validationErrors(checkingFiles: checkingFiles)
        warnings += configuration.validationWarnings()
        guard errors.isEmpty else { return .failure(ConfigurationErrors(errors)) }
        return .success(LoadedConfiguration(configuration: configuration, warnings: warnings, isDevelopment: false))
    }

    /// Where `turnpike serve` takes the file path from when `--config` is not given.
    public static let fileEnvironmentVariable = "TURNPIKE_CONFIG"
    /// CommandLineArgumentsProvider skips its first argument, the program name.
    private static let programName = "turnpike"

    /// The file as a provider, its key problems and its mapping-form user names; a nil provider
    /// when its YAML cannot be parsed (the errors say why).
    private static func readFile(
        _ path: String
    ) -> Result<((any ConfigProvider)?, [ConfigurationError], [String]), ConfigurationError> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return .failure(ConfigurationError(key: "file", value: path, expected: "a readable YAML file (\(error.localizedDescription))"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ConfigurationError(key: "file", value: path, expected: "UTF-8 text"))
        }
        var errors: [ConfigurationError] = []
        let walk: YAMLKeyWalk
        do {
            walk = try YAMLKeyWalk(yaml: text)
        } catch {
            return .failure(ConfigurationError(key: "file", value: path, expected: "valid YAML (\(error))"))
        }
        let (keyErrors, userNames) = KeyCheck.check(walk)
        errors += keyErrors
        // A file of only comments sets nothing; swift-configuration's snapshot would reject it.
        if walk.isEmptyDocument { return .success((nil, errors, userNames)) }
        do {
            let provider = try YAMLSnapshotProvider(bytes: Array(data), path: path)
            return .success((provider, errors, userNames))
        } catch {
            errors.append(ConfigurationError(key: "file", value: path, expected: "YAML that maps keys to values or lists of values (\(error))"))
            return .success((nil, errors, userNames))
        }
    }
}
