import ArgumentParser
import Foundation
import TURNServer

/// `turnpike drain`: refuse new allocations, keep the existing ones.
struct DrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Start a graceful drain: new allocations are refused, /readyz fails, existing allocations go on.")

    @OptionGroup var admin: AdminOptions

    func run() throws {
        try CLIOutput.run {
            let (result, raw) = try admin.client().json(AdminActionResult.self, "POST", "/v1/drain")
            admin.json ? CLIOutput.json(raw) : CLIOutput.line(result.message)
        }
    }
}
