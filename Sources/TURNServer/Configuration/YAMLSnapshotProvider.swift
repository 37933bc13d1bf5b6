import Configuration

/// A `ConfigProvider` over a `YAMLSnapshot` parsed from bytes this module already read, so the
/// YAML file is read once per load: the same bytes feed swift-configuration and the key walk
/// (`YAMLKeyWalk`), and a file replaced mid-reload cannot mix two versions.
struct YAMLSnapshotProvider: ConfigProvider {
    let parsed: YAMLSnapshot
    let providerName: String

    init(bytes: [UInt8], path: String) throws {
        providerName = "\(Self.namePrefix)\(path)"
        parsed = try bytes.withUnsafeBufferPointer { buffer in
            try YAMLSnapshot(data: buffer.span.bytes, providerName: "\(Self.namePrefix)\(path)", parsingOptions: .default)
        }
    }

    static let namePrefix = "YAML file "

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try parsed.value(forKey: key, type: type)
    }

    func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    nonisolated(nonsending) func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey,
        type: ConfigType,
        updatesHandler: nonisolated(nonsending) (ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    func snapshot() -> any ConfigSnapshot {
        parsed
    }

    nonisolated(nonsending) func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
