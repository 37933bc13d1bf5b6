import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import TURNServer

/// `turnpike serve`: runs the relay until SIGTERM or SIGINT (then drains and exits 0); SIGHUP
/// reloads. With no configuration at all it runs the development default on 127.0.0.1 and
/// prints the credentials it generated.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the TURN/STUN relay.",
        discussion: """
            Configuration: flags > TURNPIKE_* environment variables > the YAML file (--config or \
            TURNPIKE_CONFIG) > defaults; see docs/configuration.md. With none of them, the development \
            default runs on 127.0.0.1:3478 (UDP and TCP) with a generated password. SIGTERM/SIGINT drain \
            (new allocations refused, existing ones kept until they end or drain.deadline passes; SIGQUIT \
            ends the drain at once); SIGHUP \
            reloads users, secrets, peer policy, quotas and TLS certificates.
            """)

    @OptionGroup var options: ConfigurationOptions

    /// Exit status for a configuration that does not load, as `check-config` uses.
    static let configurationErrorStatus: Int32 = 2
    /// Exit status for a server that cannot start (port in use, missing address, bad certificate).
    static let startErrorStatus: Int32 = 1

    func run() async throws {
        let sources = options.sources(environment: ProcessInfo.processInfo.environment)
        var random = SecureRandomNumberGenerator()
        let loaded: LoadedConfiguration
        switch ServerConfiguration.resolve(from: sources, random: &random) {
        case .failure(let errors):
            for error in errors.errors { Self.printError("configuration: \(error)") }
            throw ExitCode(Self.configurationErrorStatus)
        case .success(let value):
            loaded = value
        }
        LogSetup.bootstrap(loaded.configuration.logging)
        let logger = Logger(label: "turnpike")
        if loaded.isDevelopment {
            FileHandle.standardOutput.write(Data((loaded.configuration.developmentBanner() + "\n").utf8))
        }
        for warning in loaded.warnings { logger.warning("\(warning)") }

        let server = TURNServer(
            configuration: loaded.configuration, sources: loaded.isDevelopment ? nil : sources, logger: logger)
        do {
            try await server.start()
        } catch {
            Self.printError(error.description)
            throw ExitCode(Self.startErrorStatus)
        }
        // The ServiceGroup shuts services down in reverse order: the relay drains first while
        // /readyz answers 503 and the admin API still answers.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let address = loaded.configuration.http.address {
            services.append(.init(service: MetricsHTTPService(server: server, address: address, logger: logger)))
        }
        services.append(.init(service: AdminService(
            server: server, path: loaded.configuration.admin.socketPath, mode: loaded.configuration.admin.socketMode, logger: logger)))
        services.append(.init(service: server))
        services.append(.init(service: HangupReloader(server: server)))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [.sigquit],
            logger: logger))
        try await group.run()
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data("turnpike: \(line)\n".utf8))
    }
}

/// SIGHUP → `TURNServer.reload()`, until graceful shutdown.
struct HangupReloader: Service {
    let server: TURNServer

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await server.reload()
        }
    }
}
