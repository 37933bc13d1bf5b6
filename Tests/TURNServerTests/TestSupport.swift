import Foundation
@testable import TURNServer

/// SplitMix64: a seeded generator so generated passwords and keys are reproducible in tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A YAML file in a fresh temporary directory, one per call so parallel tests never share one.
func writeYAML(_ text: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turnpike-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("turnpike.yaml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
}

/// The smallest valid production file: a relay address and one credential.
let minimalYAML = """
relay:
  ipv4: 192.0.2.10
auth:
  realm: example.org
  shared-secrets: ["0123456789abcdef0123"]
  nonce-key: "00112233445566778899aabbccddeeff"

"""

func load(
    yaml: String? = nil,
    environment: [String: String] = [:],
    arguments: [String] = [],
    checkingFiles: Bool = true
) throws -> Result<LoadedConfiguration, ConfigurationErrors> {
    var random = SeededGenerator(state: 1)
    let path = try yaml.map(writeYAML)
    return ServerConfiguration.load(
        from: ConfigurationSources(filePath: path, environment: environment, arguments: arguments),
        checkingFiles: checkingFiles, random: &random)
}

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

extension Result {
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }

    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
