import ArgumentParser
import Foundation
import TURNServer

/// `turnpike allocations list|show|delete`.
struct AllocationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocations",
        abstract: "List, show and delete allocations of the running server (admin API).",
        subcommands: [List.self, Show.self, Delete.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List allocations, optionally filtered.")

        @OptionGroup var admin: AdminOptions
        @Option(help: "Only this user (the <user> of a shared-secret username, or the full username).") var user: String?
        @Option(help: ArgumentHelp("Only this client address (IP or IP:port).", valueName: "address")) var client: String?
        @Option(help: ArgumentHelp("Only allocations with a permission or channel for this peer (IP or IP:port).", valueName: "address")) var peer: String?
        @Option(help: ArgumentHelp("Only allocations at least this old (30s, 10m, 1h).", valueName: "duration")) var minAge: String?
        @Option(help: "Only this relayed family: ipv4, ipv6 or dual.") var family: String?
        @Option(help: "Only this client transport: udp, tcp or tls.") var transport: String?

        func run() throws {
            try CLIOutput.run {
                var query: [(String, String)] = []
                if let user { query.append(("user", user)) }
                if let client { query.append(("client", client)) }
                if let peer { query.append(("peer", peer)) }
                if let minAge {
                    guard let duration = DurationSyntax.parse(minAge) else { throw CLIError("--min-age: expected \(DurationSyntax.expected)") }
                    query.append(("min-age", String(Double(duration.components.seconds))))
                }
                if let family { query.append(("family", family)) }
                if let transport { query.append(("transport", transport)) }
                let (list, raw) = try admin.client().json(AdminAllocationList.self, "GET", "/v1/allocations" + QueryString.encode(query))
                if admin.json {
                    CLIOutput.json(raw)
                } else {
                    CLIOutput.line(AllocationTables.list(list.allocations))
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one allocation: 5-tuple, relayed addresses, permissions, channels, traffic.")

        @OptionGroup var admin: AdminOptions
        @Argument(help: "The allocation id, as `allocations list` shows it (e.g. 0-3).") var id: String

        func run() throws {
            try CLIOutput.run {
                let (allocation, raw) = try admin.client().json(AdminAllocation.self, "GET", "/v1/allocations/" + QueryString.escape(id))
                if admin.json {
                    CLIOutput.json(raw)
                } else {
                    CLIOutput.line(AllocationTables.detail(allocation))
                }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an allocation by id, or every allocation of a user (relay ports closed, nothing further relayed).")

        @OptionGroup var admin: AdminOptions
        @Argument(help: "The allocation id.") var id: String?
        @Option(help: "Delete every allocation of this user instead.") var user: String?

        func validate() throws {
            guard (id == nil) != (user == nil) else { throw ValidationError("give either an allocation id or --user, not both") }
        }

        func run() throws {
            try CLIOutput.run {
                let target = if let id { "/v1/allocations/" + QueryString.escape(id) } else { "/v1/allocations" + QueryString.encode([("user", user ?? "")]) }
                let (result, raw) = try admin.client().json(AdminDeleteResult.self, "DELETE", target)
                if admin.json {
                    CLIOutput.json(raw)
                } else if result.deleted.isEmpty {
                    CLIOutput.line("no allocation of user \(user ?? "") to delete")
                } else {
                    CLIOutput.line("deleted \(result.deleted.count) allocation\(result.deleted.count == 1 ? "" : "s"): \(result.deleted.joined(separator: ", "))")
                }
            }
        }
    }
}
