extension ServerConfiguration {
    /// SIGHUP: reads the same sources again (the file from disk; the environment and flags the
    /// process started with) and returns the configuration to switch to, or every error found,
    /// in which case the running configuration stays. The result is never half-applied: it is
    /// the new configuration with the restart-only groups (listeners, relay, server, xdp, http,
    /// admin) put back to their running values, validated again as a whole.
    ///
    /// A nonce key that no source sets keeps the running key instead of being generated again,
    /// so outstanding nonces stay valid.
    public static func reload(
        from sources: ConfigurationSources,
        current: ServerConfiguration,
        checkingFiles: Bool = true
    ) -> Result<ConfigurationReload, ConfigurationErrors> {
        let loaded: LoadedConfiguration
        switch load(from: sources, checkingFiles: checkingFiles, nonceKeyIfUnset: current.authentication.nonceKey) {
        case .failure(let errors): return .failure(errors)
        case .success(let value): loaded = value
        }
        var next = loaded.configuration
        var warnings = loaded.warnings.filter { $0 != GroupLoader.generatedNonceKeyWarning }
        if next.authentication.nonceKeyOrigin == .generated {
            next.authentication.nonceKeyOrigin = current.authentication.nonceKeyOrigin
        }
        var applied: [ConfigurationGroup] = []
        var restartRequired: [ConfigurationGroup] = []
        for group in ConfigurationGroup.allCases where next.differs(from: current, in: group) {
            if group.isReloadable {
                applied.append(group)
            } else {
                restartRequired.append(group)
                next = next.replacing(group, from: current)
                warnings.append("\(group.rawValue) changed but takes effect only after a restart; keeping the running value")
            }
        }
        let errors = next.validationErrors(checkingFiles: checkingFiles)
        guard errors.isEmpty else { return .failure(ConfigurationErrors(errors)) }
        return .success(ConfigurationReload(configuration: next, applied: applied, restartRequired: restartRequired, warnings: warnings))
    }
}
