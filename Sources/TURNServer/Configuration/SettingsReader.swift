import Configuration

/// Reads settings through one swift-configuration `ConfigReader` (flags, then environment, then
/// file) and gathers every problem instead of stopping at the first. Every value is read as text
/// and parsed here, so an error can quote the value and say what was expected.
struct SettingsReader {
    private let reader: ConfigReader
    private let collector: AccessCollector
    private(set) var errors: [ConfigurationError] = []

    init(reader: ConfigReader, collector: AccessCollector) {
        self.reader = reader
        self.collector = collector
    }

    mutating func record(_ error: ConfigurationError) {
        errors.append(error)
    }

    /// A value as given, with where it came from; nil when no source sets it (or it is empty).
    mutating func text(_ setting: Setting) -> (value: String, source: String?)? {
        text(components: setting.components, key: setting.key, isSecret: setting.isSecret)
    }

    mutating func text(components: [String], key: String, isSecret: Bool) -> (value: String, source: String?)? {
        _ = collector.take()
        let value = reader.string(forKey: ConfigKey(components), isSecret: isSecret)
        let source = outcome(key: key, expected: "a single value, not a list")
        guard let value, !value.isEmpty else { return nil }
        return (value, source)
    }

    /// A list as given; nil when no source sets it.
    mutating func list(_ setting: Setting) -> (values: [String], source: String?)? {
        _ = collector.take()
        let values = reader.stringArray(forKey: ConfigKey(setting.components), isSecret: setting.isSecret)
        let source = outcome(key: setting.key, expected: "a list (YAML sequence, comma-separated variable, or repeated flag)")
        guard let values else { return nil }
        return (values.filter { !$0.isEmpty }, source)
    }

    /// `parse` applied to the setting's value, or `defaultValue` when unset; on a value `parse`
    /// rejects, records an error and returns the default so reading can go on.
    mutating func value<Value>(
        _ setting: Setting,
        default defaultValue: Value,
        expected: String,
        parse: (String) -> Value?
    ) -> Value {
        guard let (text, source) = text(setting) else { return defaultValue }
        guard let parsed = parse(text) else {
            record(ConfigurationError(key: setting.key, value: setting.isSecret ? ConfigurationError.redacted : text,
                                      expected: expected, source: source))
            return defaultValue
        }
        return parsed
    }

    /// Like `value` but nil when unset.
    mutating func optional<Value>(_ setting: Setting, expected: String, parse: (String) -> Value?) -> Value? {
        value(setting, default: nil, expected: expected, parse: { parse($0).map(Optional.some) })
    }

    /// Each element parsed; every rejected element is an error naming its index.
    mutating func values<Value>(
        _ setting: Setting,
        default defaultValue: [Value],
        expected: String,
        parse: (String) -> Value?
    ) -> [Value] {
        guard let (texts, source) = list(setting) else { return defaultValue }
        var parsed: [Value] = []
        for (index, text) in texts.enumerated() {
            if let value = parse(text) {
                parsed.append(value)
            } else {
                record(ConfigurationError(key: "\(setting.key)[\(index)]",
                                          value: setting.isSecret ? ConfigurationError.redacted : text,
                                          expected: expected, source: source))
            }
        }
        return parsed
    }

    /// Records a conversion failure seen in the last access event; returns the source that
    /// supplied the value.
    private mutating func outcome(key: String, expected: String) -> String? {
        guard let event = collector.take() else { return nil }
        for result in event.providerResults {
            switch result.result {
            case .failure:
                record(ConfigurationError(key: key, value: nil, expected: expected,
                                          source: Self.sourceName(result.providerName, key: event.metadata.key.components)))
                return nil
            case .success(let lookup) where lookup.value != nil:
                if event.conversionError != nil {
                    record(ConfigurationError(key: key, value: nil, expected: expected,
                                              source: Self.sourceName(result.providerName, key: event.metadata.key.components)))
                    return nil
                }
                return Self.sourceName(result.providerName, key: event.metadata.key.components)
            case .success:
                continue
            }
        }
        return nil
    }

    /// A provider named as an operator would recognise it: the flag, the variable, the file.
    static func sourceName(_ providerName: String, key components: [String]) -> String {
        if providerName.hasPrefix(YAMLSnapshotProvider.namePrefix) {
            return "file"
        }
        if providerName.contains("Environment") {
            return Setting.environmentVariable(for: components)
        }
        if providerName.contains("CommandLine") {
            return Setting.flag(for: components)
        }
        return providerName
    }
}
