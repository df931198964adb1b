import Foundation
import Hummingbird
import JSON
import Registry

/// `/v1/hosts`: the devices and servers instances run on, online while their heartbeats come.
struct HostsController {
    let registry: Registry
    let limits: BodyLimits

    func addRoutes(to router: Router<RegistrydContext>) {
        let group = router.group("v1/hosts")
        group.post { request, context in try await register(request, context) }
        group.get { request, context in try await list(request, context) }
        group.get(":id") { _, context in try show(context) }
        group.delete(":id") { _, context in try await remove(context) }
        group.put(":id/heartbeat") { _, context in try await heartbeat(context) }
    }

    private func register(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("register hosts (admin or register:<prefix> scope)", \.mayRegisterSomething)
        var request = request
        let body = try await request.decodeJSON(HostBody.self, limit: limits.control)
        for (key, value) in [("architecture", body.architecture), ("os", body.os), ("location", body.location)] where (value?.utf8.count ?? 0) > 1024 {
            throw RegistryError(.invalidManifest, "`\(key)`: longer than 1024 bytes")
        }
        var spec = HostSpec(id: body.id, architecture: body.architecture, operatingSystem: body.os, location: body.location)
        if let tier = body.tier {
            guard let value = DeploymentTier(rawValue: tier) else { throw RegistryError(.invalidManifest, "`tier`: `\(tier)` is not one of device, edge, fog, cloud") }
            spec.tier = value
        }
        if let ttl = body.ttl {
            spec.ttlMilliseconds = try ManifestRules.ttl(ttl, path: "ttl")
        }
        let host = try await registry.registerHost(spec, owner: principal.tokenID, authorize: Self.mayChange(principal))
        return try JSONResponse.make(HostView(host), status: .created, index: host.index)
    }

    /// A host is changed by the token that registered it, or an admin (docs/trust.md).
    static func mayChange(_ principal: Principal) -> HostAuthorization {
        { host in principal.isAdmin || (host.owner != nil && host.owner == principal.tokenID) }
    }

    private func list(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.requireQuery()
        // Filters for a deployment layer asking where a service may go (seed 002).
        let query = RegistrationBody.query(of: request)
        if let tier = query["tier"], DeploymentTier(rawValue: tier) == nil {
            throw RegistryError(.invalidRequest, "`tier`: `\(tier)` is not one of device, edge, fog, cloud")
        }
        if let status = query["status"], status != "online", status != "offline" {
            throw RegistryError(.invalidRequest, "`status`: expected online or offline")
        }
        let blocked = try await LongPoll.wait(request, registry: registry, for: WatchFilter(kinds: ["host.*"]))
        let index = registry.index
        struct Body: Encodable {
            var index: Int64
            var hosts: [HostView]
        }
        let hosts = registry.hosts().map(HostView.init).filter { host in
            (query["tier"].map { $0 == host.tier } ?? true)
                && (query["status"].map { $0 == host.status } ?? true)
                && (query["architecture"].map { $0 == host.architecture } ?? true)
                && (query["os"].map { $0 == host.os } ?? true)
        }
        return LongPoll.closing(try JSONResponse.make(Body(index: index, hosts: hosts), index: index), if: blocked)
    }

    private func show(_ context: RegistrydContext) throws -> Response {
        try context.requireQuery()
        let id = try context.parameters.require("id")
        guard let host = registry.host(id: id) else { throw RegistryError(.notFound, "no host `\(id)`") }
        return try JSONResponse.make(HostView(host), index: host.index)
    }

    private func remove(_ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("remove hosts (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        try await registry.removeHost(id: id, authorize: Self.mayChange(principal))
        return try JSONResponse.make(["index": registry.index], index: registry.index)
    }

    private func heartbeat(_ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("send host heartbeats (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        let host = try await registry.heartbeat(host: id, authorize: Self.mayChange(principal))
        return try JSONResponse.make(HostView(host), index: host.index)
    }
}

/// The body of `POST /v1/hosts`.
struct HostBody: Decodable {
    var id: String
    var architecture: String?
    var os: String?
    var tier: String?
    var location: String?
    /// `"30s"`-style text or a number of seconds (``ManifestRules/ttl(_:path:)``).
    var ttl: JSONValue?
}
