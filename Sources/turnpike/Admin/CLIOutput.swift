import ArgumentParser
import Foundation

/// How commands print and fail: results on stdout; a failure is one line `turnpike: reason` on
/// stderr and exit status 1.
enum CLIOutput {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("turnpike: \(text)\n".utf8))
    }

    /// Pretty JSON as the server sent it, re-indented with sorted keys.
    static func json(_ data: Data) {
        if let object = try? JSONSerialization.jsonObject(with: data),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            line(String(decoding: pretty, as: UTF8.self))
        } else {
            line(String(decoding: data, as: UTF8.self))
        }
    }

    static func encode(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        line(String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self))
    }

    /// Runs `body`; a CLI or admin-socket error becomes the one-line message and exit 1.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as AdminClientError {
            self.error(error.description)
            throw ExitCode.failure
        } catch let error as CLIError {
            self.error(error.description)
            throw ExitCode.failure
        }
    }
}
