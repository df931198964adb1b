import AccessControl
import AccessService
import Foundation
import Hummingbird
import JSON
import Registry

/// `/v1/resolve`: name resolution, and rebinding a name with compare-and-swap.
struct ResolveController {
    let registry: Registry
    let access: AccessService
    let limits: BodyLimits

    func addRoutes(to router: Router<RegistrydContext>) {
        router.get("v1/resolve") { request, context in try await resolve(request, context) }
        router.put("v1/resolve/pin") { request, context in try await pin(request, context) }
    }

    private func name(_ request: Request) throws -> ServiceName {
        guard let text = request.uri.queryParameters.get("name") else {
            throw RegistryError(.invalidRequest, "`name` is required: the service, object, method or channel to resolve")
        }
        return try ServiceName(text)
    }

    private func resolve(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.requireQuery()
        let name = try name(request)
        // What the answer depends on: the name's registrations and pins, and the policies' routes.
        let blocked = try await LongPoll.wait(request, registry: registry,
                                              for: WatchFilter(name: .resolving(name.value), alwaysKinds: [RegistryEvent.Kind.policyChanged.rawValue]))
        let route = access.policies.route(for: name.value)
        var resolution: Resolution
        do {
            resolution = try registry.resolve(name)
        } catch let error as RegistryError where error.code == .notFound && route?.redirect != nil {
            // A name redirected to another site need not be registered here.
            resolution = Resolution(name: name.value, kind: .service, generation: 0, index: registry.index, endpoints: [])
        }
        if let route {
            if let redirect = route.redirect {
                resolution.endpoints = []
                resolution.redirect = redirect
                resolution.route = route.id
            } else {
                resolution.apply(route: route.id, versions: route.targets.map { ($0.version, $0.weight) })
            }
        }
        return LongPoll.closing(try JSONResponse.make(resolution, index: resolution.index), if: blocked)
    }

    private func pin(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("rebind names (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let name = try name(request)
        struct Pin: Decodable {
            /// The name's current generation (compare-and-swap).
            var generation: Int64
            var instances: [String]
            var weights: [String: Int]?
        }
        var request = request
        let body = try await request.decodeJSON(Pin.self, limit: limits.control)
        guard body.generation >= 0 else { throw APIError(.badRequest, code: "request.invalid", "`generation`: not negative") }
        if let (id, _) = body.weights?.first(where: { !(0...10_000).contains($0.value) }) {
            throw APIError(.badRequest, code: "request.invalid", "`weights.\(id)`: expected 0 to 10000")
        }
        let pin = try await registry.pin(name, expectedGeneration: body.generation, instances: body.instances, weights: body.weights ?? [:],
                                         authorize: principal.mayRegister)
        struct Body: Encodable {
            var name: String
            var generation: Int64
            var instances: [String]
            var weights: [String: Int]
            var index: Int64
        }
        return try JSONResponse.make(Body(name: pin.name.value, generation: pin.generation, instances: pin.instances,
                                          weights: pin.weights, index: pin.index), index: pin.index)
    }
}
