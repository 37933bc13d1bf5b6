import ArgumentParser
import Foundation
import TURNServer

/// Options every admin command takes: where the socket is and how to print.
struct AdminOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The admin API's Unix socket (default: admin.socket of the configuration).", valueName: "path"))
    var socket: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("The server's YAML configuration file (default: $TURNPIKE_CONFIG).", valueName: "file"))
    var configFile: String?

    @Flag(help: "Print JSON for scripts instead of a table.")
    var json = false

    /// --socket, else the configuration's admin.socket (file or TURNPIKE_* variables), else the
    /// development default's.
    func socketPath() throws -> String {
        if let socket { return socket }
        let environment = ProcessInfo.processInfo.environment
        let sources = ConfigurationSources(
            filePath: configFile ?? environment[ServerConfiguration.fileEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 },
            environment: environment)
        var random = SystemRandomNumberGenerator()
        switch ServerConfiguration.resolve(from: sources, random: &random) {
        case .success(let loaded):
            return loaded.configuration.admin.socketPath
        case .failure(let errors):
            throw CLIError("cannot read the configuration for the admin socket path: \(errors.errors.map(\.description).joined(separator: "; ")) (or give --socket)")
        }
    }

    func client() throws -> AdminClient {
        AdminClient(socketPath: try socketPath())
    }
}
