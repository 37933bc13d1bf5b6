/// Finds keys no setting reads: in the YAML file and on the command line they are errors (a typo
/// must not be silently ignored); `TURNPIKE_*` environment variables are only warned about,
/// because deployment tooling often sets unrelated variables with the same prefix.
enum KeyCheck {
    /// Problems in the YAML file's keys, plus the user names of the mapping form of `auth.users`.
    static func check(_ walk: YAMLKeyWalk) -> (errors: [ConfigurationError], userNames: [String]) {
        var errors: [ConfigurationError] = []
        var userNames: [String] = []
        for line in walk.malformedKeys {
            errors.append(ConfigurationError(key: "file", value: nil,
                                             expected: "every key must be a plain string", source: lineText(line)))
        }
        for entry in walk.entries {
            if entry.path.isEmpty {
                errors.append(ConfigurationError(key: "file", value: nil,
                                                 expected: "the top level must be a mapping of sections", source: lineText(entry.line)))
                continue
            }
            if let setting = Settings.byKey[entry.key] {
                if let problem = shapeProblem(setting: setting, kind: entry.kind) {
                    errors.append(ConfigurationError(key: entry.key, value: nil, expected: problem, source: lineText(entry.line)))
                }
                continue
            }
            if let (name, field) = userField(entry.path) {
                if !userNames.contains(name) { userNames.append(name) }
                if field == nil {
                    let fields = UserFields.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(ConfigurationError(
                        key: entry.key, value: nil,
                        expected: entry.path.count == UserFields.usersPath.count + 1
                            ? "a mapping with one of \(fields)"
                            : "one of \(fields) under auth.users.\(name)",
                        source: lineText(entry.line)))
                } else if entry.kind != .scalar {
                    errors.append(ConfigurationError(key: entry.key, value: nil, expected: "a single value", source: lineText(entry.line)))
                }
                continue
            }
            errors.append(ConfigurationError(key: entry.key, value: nil,
                                             expected: unknownKeyHint(entry.key), source: lineText(entry.line)))
        }
        return (errors, userNames)
    }

    /// Flags that name no setting. `arguments` are the forwarded setting flags.
    static func check(arguments: [String]) -> [ConfigurationError] {
        var errors: [ConfigurationError] = []
        var expectingValue = false
        for argument in arguments {
            guard argument.hasPrefix("--") else {
                if !expectingValue {
                    errors.append(ConfigurationError(key: "arguments", value: argument,
                                                     expected: "a setting flag such as --relay-port-min 50000"))
                }
                continue
            }
            let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            expectingValue = !argument.contains("=")
            if Settings.byFlag[flag] != nil || isUserFieldFlag(flag) { continue }
            let key = String(flag.dropFirst(2))
            let suggestion = closest(to: flag, among: Settings.all.map(\.flag)).map { "; did you mean \($0)?" } ?? ""
            errors.append(ConfigurationError(key: flag, value: nil,
                                             expected: "no setting has this flag\(suggestion)", source: key.isEmpty ? nil : "command line"))
        }
        return errors
    }

    /// Warnings for `TURNPIKE_*` variables that name no setting.
    static func check(environment: [String: String]) -> [String] {
        environment.keys.sorted().compactMap { name in
            guard name.hasPrefix(ConfigurationSources.environmentPrefix),
                  Settings.byEnvironmentVariable[name] == nil,
                  !name.hasPrefix(usersEnvironmentPrefix) else { return nil }
            let suggestion = closest(to: name, among: Settings.all.map(\.environmentVariable)).map { " (did you mean \($0)?)" } ?? ""
            return "environment variable \(name) names no setting and is ignored\(suggestion)"
        }
    }

    static let usersEnvironmentPrefix = Setting.environmentVariable(for: UserFields.usersPath) + "_"
    private static let usersFlagPrefix = Setting.flag(for: UserFields.usersPath) + "-"
    private static let maximumSuggestionDistance = 3

    /// `auth.users.NAME.FIELD`: the name and the field (nil when FIELD is not a known field or
    /// the path is too short or too long to be one).
    private static func userField(_ path: [String]) -> (String, UserFields?)? {
        let prefix = UserFields.usersPath
        guard path.count > prefix.count, Array(path.prefix(prefix.count)) == prefix else { return nil }
        let name = path[prefix.count]
        guard path.count == prefix.count + 2 else { return (name, nil) }
        return (name, UserFields(rawValue: path[prefix.count + 1]))
    }

    private static func isUserFieldFlag(_ flag: String) -> Bool {
        flag.hasPrefix(usersFlagPrefix) && UserFields.allCases.contains { flag.hasSuffix("-" + $0.rawValue) }
            && flag.count > usersFlagPrefix.count + 1
    }

    private static func shapeProblem(setting: Setting, kind: YAMLKeyWalk.Kind) -> String? {
        switch (setting.shape, kind) {
        case (.scalar, .scalar), (.list, .list): nil
        case (.scalar, .list): "a single value, not a list"
        case (.list, .scalar): "a list (YAML sequence), not a single value"
        case (_, .emptyMapping):
            setting == Settings.authUsers ? nil : "a value, not an empty mapping"
        }
    }

    private static func unknownKeyHint(_ key: String) -> String {
        let suggestion = closest(to: key, among: Settings.all.map(\.key)).map { "; did you mean \($0)?" } ?? ""
        return "unknown key (no setting reads it)\(suggestion)"
    }

    private static func lineText(_ line: Int?) -> String? {
        line.map { "file line \($0)" }
    }

    /// The candidate within a small edit distance of `text`, if exactly one is nearest.
    static func closest(to text: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(Array(text), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= maximumSuggestionDistance else { return nil }
        return best.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
