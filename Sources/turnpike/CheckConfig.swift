import ArgumentParser
import Foundation
import TURNServer

/// `turnpike check-config FILE`: validate a configuration file without starting the server.
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and explain every error.",
        discussion: "Exits 0 with a one-line summary when the file is valid, 1 with every error (one per line) when not.")

    @Argument(help: "The YAML configuration file.")
    var file: String

    @Flag(help: "Also apply the TURNPIKE_* environment variables, as `turnpike serve` would.")
    var includeEnvironment = false

    @Flag(help: "Do not require the TLS certificate and key files to exist (checking a file away from its host).")
    var skipFileChecks = false

    func run() throws {
        let report = ConfigurationCheck.run(
            file: file, environment: includeEnvironment ? ProcessInfo.processInfo.environment : [:],
            checkingFiles: !skipFileChecks)
        for warning in report.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        if report.exitStatus == ConfigurationCheck.validStatus {
            print(report.lines.joined(separator: "\n"))
        } else {
            FileHandle.standardError.write(Data((report.lines.joined(separator: "\n") + "\n").utf8))
        }
        throw ExitCode(report.exitStatus)
    }
}
