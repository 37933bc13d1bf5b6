import Hummingbird
import Logging
import TURNCore

/// The admin API's handlers (see `AdminService`).
struct AdminRoutes: Sendable {
    let server: TURNServer
    let logger: Logger

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let server = self.server
        let logger = self.logger
        router.get("/v1/allocations") { request, _ in
            let query = Dictionary(
                request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
            switch Self.filter(query) {
            case .failure(let error):
                return HTTPResponses.error(error.error, status: .badRequest)
            case .success(let filter):
                return HTTPResponses.json(AdminAllocationList(allocations: await server.allocations(matching: filter)))
            }
        }
        router.get("/v1/allocations/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let allocation = await server.allocation(id: id) else {
                return HTTPResponses.error("no allocation \(id)", status: .notFound)
            }
            return HTTPResponses.json(allocation)
        }
        router.delete("/v1/allocations/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard await server.deleteAllocation(id: id) else {
                return HTTPResponses.error("no allocation \(id)", status: .notFound)
            }
            logger.notice("admin: allocation deleted", metadata: ["allocation": .string(id)])
            return HTTPResponses.json(AdminDeleteResult(deleted: [id]))
        }
        router.delete("/v1/allocations") { request, _ in
            guard let user = request.uri.queryParameters.get("user"), !user.isEmpty else {
                return HTTPResponses.error("give ?user=NAME (or DELETE /v1/allocations/{id})", status: .badRequest)
            }
            let deleted = await server.deleteAllocations(user: user)
            logger.notice("admin: allocations of a user deleted", metadata: ["user": .string(user), "count": .string("\(deleted.count)")])
            return HTTPResponses.json(AdminDeleteResult(deleted: deleted))
        }
        router.get("/v1/stats") { _, _ in HTTPResponses.json(await server.stats()) }
        router.post("/v1/drain") { _, _ in
            await server.beginDrain()
            return HTTPResponses.json(AdminActionResult(
                ok: true, message: "draining: new allocations are refused, existing ones continue; /readyz fails"))
        }
        router.post("/v1/reload") { _, _ in
            let applied = await server.reload()
            return HTTPResponses.json(
                AdminActionResult(
                    ok: applied,
                    message: applied ? "configuration reloaded" : "reload not applied; the running configuration stays (see the server log)"),
                status: applied ? .ok : .conflict)
        }
        return router
    }

    static func filter(_ query: [String: String]) -> Result<AllocationFilter, AdminError> {
        var filter = AllocationFilter()
        filter.user = query["user"]
        filter.client = query["client"]
        filter.peer = query["peer"]
        if let age = query["min-age"] {
            guard let seconds = Double(age), seconds >= 0 else { return .failure(AdminError(error: "min-age must be seconds, got \(age)")) }
            filter.minimumAge = .milliseconds(Int64(seconds * 1000))
        }
        if let family = query["family"] {
            guard ["ipv4", "ipv6", "dual"].contains(family) else {
                return .failure(AdminError(error: "family must be ipv4, ipv6 or dual, got \(family)"))
            }
            filter.family = family
        }
        if let transport = query["transport"] {
            guard let value = ClientTransport(rawValue: transport) else {
                return .failure(AdminError(error: "transport must be udp, tcp or tls, got \(transport)"))
            }
            filter.transport = value
        }
        return .success(filter)
    }
}
