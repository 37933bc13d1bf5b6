import TURNCore

/// Static users from both forms of `auth.users`:
/// - compact entries `NAME:password:SECRET`, `NAME:key-md5:HEX`, `NAME:key-sha256:HEX` (a YAML
///   list, a comma-separated `TURNPIKE_AUTH_USERS`, or repeated `--auth-users`);
/// - in the YAML file, a mapping `auth.users.NAME.{password|key-md5|key-sha256}`, whose fields
///   environment variables (`TURNPIKE_AUTH_USERS_NAME_PASSWORD`) and flags can override.
/// A compact entry replaces a mapping user of the same name, since compact entries usually come
/// from a higher-precedence source.
struct UserReader {
    var settings: SettingsReader

    /// RFC 8489 §9.2.2 key sizes: MD5 16 bytes, SHA-256 32 bytes.
    static let md5KeyBytes = 16
    static let sha256KeyBytes = 32
    private static let compactSeparator: Character = ":"
    static let compactExpected = "NAME:password:SECRET, NAME:key-md5:HEX or NAME:key-sha256:HEX"

    init(settings: SettingsReader) {
        self.settings = settings
    }

    mutating func read(fileUserNames: [String]) -> [String: UserSecret] {
        var users: [String: UserSecret] = [:]
        for name in fileUserNames {
            let key = (UserFields.usersPath + [name]).joined(separator: ".")
            guard validName(name, key: key, source: "file") else { continue }
            var given: [(UserFields, String, String?)] = []
            for field in UserFields.allCases {
                if let (text, source) = settings.text(components: field.key(user: name), key: key + "." + field.rawValue, isSecret: true) {
                    given.append((field, text, source))
                }
            }
            guard given.count == 1, let (field, text, source) = given.first else {
                settings.record(ConfigurationError(
                    key: key, value: nil,
                    expected: given.isEmpty
                        ? "one of password, key-md5 or key-sha256"
                        : "exactly one of password, key-md5 or key-sha256, but it has " + given.map(\.0.rawValue).joined(separator: " and ")))
                continue
            }
            if let secret = secret(field: field, text: text, key: key + "." + field.rawValue, source: source) {
                users[name] = secret
            }
        }
        var compactNames: Set<String> = []
        guard let (entries, source) = settings.list(Settings.authUsers) else { return users }
        for (index, entry) in entries.enumerated() {
            let key = "\(Settings.authUsers.key)[\(index)]"
            let parts = entry.split(separator: Self.compactSeparator, maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let field = UserFields(rawValue: parts[1]) else {
                settings.record(ConfigurationError(key: key, value: ConfigurationError.redacted,
                                                   expected: Self.compactExpected, source: source))
                continue
            }
            let name = parts[0]
            guard validName(name, key: key, source: source) else { continue }
            guard compactNames.insert(name).inserted else {
                settings.record(ConfigurationError(
                    key: key, value: nil,
                    expected: "one entry per user, but \(name) appears again (give a password or a key, not both)",
                    source: source))
                continue
            }
            if let secret = secret(field: field, text: parts[2], key: key, source: source) {
                users[name] = secret
            }
        }
        return users
    }

    /// Usernames may not contain ':' because the shared-secret scheme's usernames are
    /// `EXPIRY:USER`, and a static name with a colon could shadow one.
    private mutating func validName(_ name: String, key: String, source: String?) -> Bool {
        guard name.isEmpty || name.contains(Self.compactSeparator) else { return true }
        settings.record(ConfigurationError(key: key, value: name, expected: "a non-empty user name without ':'", source: source))
        return false
    }

    private mutating func secret(field: UserFields, text: String, key: String, source: String?) -> UserSecret? {
        switch field {
        case .password:
            guard !text.isEmpty else {
                settings.record(ConfigurationError(key: key, value: nil, expected: "a non-empty password", source: source))
                return nil
            }
            return .password(text)
        case .keyMD5:
            guard let bytes = KeyMaterialSyntax.parseHex(text), bytes.count == Self.md5KeyBytes else {
                settings.record(ConfigurationError(key: key, value: ConfigurationError.redacted,
                                                   expected: "MD5(username:realm:password) as 32 hex digits", source: source))
                return nil
            }
            return .md5Key(bytes)
        case .keySHA256:
            guard let bytes = KeyMaterialSyntax.parseHex(text), bytes.count == Self.sha256KeyBytes else {
                settings.record(ConfigurationError(key: key, value: ConfigurationError.redacted,
                                                   expected: "SHA-256(username:realm:password) as 64 hex digits", source: source))
                return nil
            }
            return .sha256Key(bytes)
        }
    }
}
