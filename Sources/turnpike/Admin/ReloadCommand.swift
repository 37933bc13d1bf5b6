import ArgumentParser
import Foundation
import TURNServer

/// `turnpike reload`: what SIGHUP does, with the answer.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload", abstract: "Re-read the configuration (users, secrets, peer policy, quotas, TLS) as SIGHUP does.")

    @OptionGroup var admin: AdminOptions

    func run() throws {
        try CLIOutput.run {
            let (result, raw) = try admin.client().json(AdminActionResult.self, "POST", "/v1/reload")
            admin.json ? CLIOutput.json(raw) : CLIOutput.line(result.message)
            if !result.ok { throw ExitCode.failure }
        }
    }
}
