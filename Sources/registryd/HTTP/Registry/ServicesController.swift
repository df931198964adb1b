import AccessControl
import AccessService
import Foundation
import Hummingbird
import JSON
import Registry

/// `/v1/services`: registration by push and pull, listing with filters and long-poll, one
/// registration's details, replacement, removal, health and lease renewal.
struct ServicesController {
    let registry: Registry
    let fetcher: ManifestFetcher
    let settings: ServerSettings
    let access: AccessService
    /// Cluster mode: renewals are kept in etcd too.
    var cluster: ClusterNode? = nil

    private func authorization(_ principal: Principal, _ request: Request, _ action: Action) -> NameAuthorization {
        access.nameAuthorization(principal, request: request, action: action)
    }

    func addRoutes(to router: Router<RegistrydContext>) {
        let group = router.group("v1/services")
        group.post { request, context in try await register(request, context) }
        group.get { request, context in try await list(request, context) }
        group.post("pull") { request, context in try await pull(request, context) }
        group.get(":id") { _, context in try show(context) }
        group.put(":id") { request, context in try await replace(request, context) }
        group.delete(":id") { request, context in try await remove(request, context) }
        group.put(":id/health") { request, context in try await health(request, context) }
        group.get(":id/checks") { _, context in try checks(context) }
        group.put(":id/checks/:check") { request, context in try await reportCheck(request, context) }
        group.put(":id/lease") { _, context in try await renew(context) }
        group.post(":id/pull") { request, context in try await repull(request, context) }
    }

    private func body(_ request: inout Request, limit: Int) async throws -> [UInt8] {
        var buffer = try await request.collectBody(limit: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    private func register(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("register services (admin or register:<prefix> scope)", \.mayRegisterSomething)
        var request = request
        let bytes = try await body(&request, limit: settings.bodies.manifest)
        let input = try RegistrationBody.decode(bytes, contentType: request.headers[.contentType], query: RegistrationBody.query(of: request),
                                                baseIRI: RegistrationTrust.uploadBaseIRI)
        let (registration, created) = try await registry.register(input, owner: principal.tokenID, document: RegistrationBody.document(of: input, bytes),
                                                                  authorize: authorization(principal, request, .create))
        return JSONResponse.make(writing: RegistrationView(registration), status: created ? .created : .ok, index: registration.index)
    }

    private func replace(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("register services (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        var request = request
        let bytes = try await body(&request, limit: settings.bodies.manifest)
        let input = try RegistrationBody.decode(bytes, contentType: request.headers[.contentType], query: RegistrationBody.query(of: request),
                                                baseIRI: RegistrationTrust.uploadBaseIRI)
        let (registration, _) = try await registry.register(input, replacing: id, owner: principal.tokenID, document: RegistrationBody.document(of: input, bytes),
                                                            authorize: authorization(principal, request, .create))
        return JSONResponse.make(writing: RegistrationView(registration), index: registration.index)
    }

    private func pull(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("register services (admin or register:<prefix> scope)", \.mayRegisterSomething)
        var request = request
        struct Pull: Decodable {
            /// Where the introspect manifest is served.
            var url: String
        }
        let url = try await request.decodeJSON(Pull.self, limit: settings.bodies.control).url
        let (fetched, contentType) = try await fetcher.fetch(url)
        let input = try RegistrationBody.decode(fetched, contentType: contentType, query: RegistrationBody.query(of: request), baseIRI: url)
        let (registration, created) = try await registry.register(input, pullURL: url, owner: principal.tokenID, document: RegistrationBody.document(of: input, fetched),
                                                                  authorize: authorization(principal, request, .create))
        return try JSONResponse.make(RegistrationView(registration), status: created ? .created : .ok, index: registration.index)
    }

    private func repull(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("register services (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        guard let existing = registry.registration(id: id) else { throw RegistryError(.notFound, "no registration `\(id)`") }
        guard let url = existing.pullURL else {
            throw APIError(.badRequest, code: "pull.not_pulled", "`\(id)` was pushed, not pulled: there is no introspect URL to fetch again")
        }
        let (fetched, contentType) = try await fetcher.fetch(url)
        var input = try RegistrationBody.decode(fetched, contentType: contentType, baseIRI: url)
        // The pulled manifest keeps the id the registration has.
        if case .manifest(var manifest, let source) = input {
            manifest.instance.id = nil
            input = .manifest(manifest, source: source)
        }
        let (registration, _) = try await registry.register(input, replacing: id, pullURL: url, owner: principal.tokenID,
                                                            document: RegistrationBody.document(of: input, fetched),
                                                            authorize: authorization(principal, request, .create))
        return try JSONResponse.make(RegistrationView(registration), index: registration.index)
    }

    private func list(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.requireQuery()
        let query = request.uri.queryParameters
        var filter = RegistrationFilter()
        filter.namePrefix = query.get("name")
        filter.version = query.get("version")
        if let tier = query.get("tier") {
            guard let value = DeploymentTier(rawValue: tier) else { throw RegistryError(.invalidRequest, "`tier`: `\(tier)` is not one of device, edge, fog, cloud") }
            filter.tier = value
        }
        if let health = query.get("health") {
            guard let value = HealthStatus(rawValue: health) else { throw RegistryError(.invalidRequest, "`health`: `\(health)` is not one of ok, degraded, broken") }
            filter.health = value
        }
        if let proto = query.get("protocol") {
            guard let value = EndpointProtocol(rawValue: proto) else { throw RegistryError(.invalidRequest, "`protocol`: `\(proto)` is not one of rest, coap, mqtt, amqp, other") }
            filter.protocol = value
        }
        if let ontologyClass = query.get("class") {
            guard let iri = ManifestPrefixes.expand(ontologyClass) else {
                throw RegistryError(.invalidRequest, "`class`: `\(ontologyClass)` is neither an absolute IRI nor a compact IRI with a known prefix")
            }
            filter.ontologyClass = iri
        }
        let blocked = try await LongPoll.wait(request, registry: registry,
                                              for: WatchFilter(name: filter.namePrefix.map { .prefix($0) }, kinds: ["service.*"]))
        let (index, registrations) = try await registry.registrations(matching: filter)
        struct Body: Encodable {
            var index: Int64
            var services: [RegistrationView]
        }
        return LongPoll.closing(try JSONResponse.make(Body(index: index, services: registrations.map { RegistrationView($0) }), index: index),
                                if: blocked)
    }

    private func show(_ context: RegistrydContext) throws -> Response {
        try context.requireQuery()
        let id = try context.parameters.require("id")
        guard let registration = registry.registration(id: id) else { throw RegistryError(.notFound, "no registration `\(id)`") }
        return try JSONResponse.make(RegistrationView(registration, detailed: true), index: registration.index)
    }

    private func remove(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("remove services (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        let index = try await registry.deregister(id: id, authorize: authorization(principal, request, .destroy))
        return try JSONResponse.make(["index": index], index: index)
    }

    private func health(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("report health (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        var request = request
        struct Report: Decodable {
            var status: HealthStatus
            var note: String?
        }
        let report = try await request.decodeJSON(Report.self, limit: settings.bodies.control)
        let registration = try await registry.setHealth(id: id, to: report.status, note: report.note.map { String($0.prefix(1024)) },
                                                        authorize: principal.mayRegister)
        return try JSONResponse.make(RegistrationView(registration), index: registration.index)
    }

    /// Every check of the instance with its status and last output (Consul's `/v1/health/checks`).
    private func checks(_ context: RegistrydContext) throws -> Response {
        try context.requireQuery()
        let id = try context.parameters.require("id")
        guard let registration = registry.registration(id: id), let states = registry.checkStates(of: id) else {
            throw RegistryError(.notFound, "no registration `\(id)`")
        }
        struct Body: Encodable {
            var id: String
            var health: HealthStatus
            var checks: [HealthCheckState]
        }
        return try JSONResponse.make(Body(id: id, health: registration.health, checks: states), index: registration.index)
    }

    /// A TTL check's report from its instance: `{"status": "passing"|"warning"|"critical", "output"}`.
    private func reportCheck(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("report checks (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        let checkID = try context.parameters.require("check")
        guard let registration = registry.registration(id: id) else { throw RegistryError(.notFound, "no registration `\(id)`") }
        guard let check = registration.manifest.instance.allChecks.first(where: { $0.checkID == checkID }) else {
            throw RegistryError(.notFound, "`\(id)` has no check `\(checkID)`")
        }
        // Before anything is recorded: the check's state is in memory, outside the write's checks.
        guard principal.mayRegister(registration.name) else {
            throw RegistryError(.forbidden, "this token may not report for `\(registration.name)`")
        }
        guard check.checkKind == .ttl else {
            throw RegistryError(.conflict, "`\(checkID)` is a \(check.checkKind.rawValue) check, which the registry runs; only TTL checks are reported")
        }
        struct Report: Decodable {
            var status: HealthCheckState.Status
            var output: String?
        }
        var request = request
        let report = try await request.decodeJSON(Report.self, limit: settings.bodies.control)
        _ = try await registry.applyCheck(id: id, check: check, result: report.status,
                                          output: String((report.output ?? "reported \(report.status.rawValue)").prefix(1024)),
                                          reported: true, authorize: principal.mayRegister)
        return try checks(context)
    }

    private func renew(_ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("renew leases (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let id = try context.parameters.require("id")
        let expires = try await registry.renewLease(id: id, authorize: principal.mayRegister)
        if let cluster {
            do { try await cluster.publishLease(id: id, expires: expires) } catch {
                throw RegistryError(.unavailable, "the renewal could not be kept in etcd, so other nodes would not see it: \(error)")
            }
        }
        return try JSONResponse.make(["id": id, "expires": JSONResponse.time(expires)])
    }
}
