import AccessControl
import AccessService
import Foundation
import Hummingbird
import Registry

/// `/v1/resolve`: name resolution, and rebinding a name with compare-and-swap.
struct ResolveController {
    let registry: Registry
    let access: AccessService

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
        try await LongPoll.wait(request, registry: registry)
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
        return try JSONResponse.make(resolution, index: resolution.index)
    }

    private func pin(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        let principal = try context.require("rebind names (admin or register:<prefix> scope)", \.mayRegisterSomething)
        let name = try name(request)
        var request = request
        var buffer = try await request.collectBody(limit: 64 << 10)
        let json = try JSONValue.parse(Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
        let usage = #"the body must be {"generation": <current generation>, "instances": ["<registration id>", ...], "weights": {"<id>": <0..10000>}}"#
        guard case .object(let fields) = json, Set(fields.keys).isSubset(of: ["generation", "instances", "weights"]),
              case .number(let generation)? = fields["generation"], generation >= 0, generation == generation.rounded(),
              generation < 9_007_199_254_740_992,  // 2^53: exact in a Double, and an Int64
              case .array(let list)? = fields["instances"] else {
            throw APIError(.badRequest, code: "request.invalid", usage)
        }
        var instances: [String] = []
        for item in list {
            guard case .string(let id) = item else { throw APIError(.badRequest, code: "request.invalid", usage) }
            instances.append(id)
        }
        var weights: [String: Int] = [:]
        if let given = fields["weights"], given != .null {
            guard case .object = given else { throw APIError(.badRequest, code: "request.invalid", usage) }
        }
        if case .object(let map)? = fields["weights"] {
            for (id, value) in map {
                guard case .number(let weight) = value, weight == weight.rounded(), (0...10_000).contains(weight) else {
                    throw APIError(.badRequest, code: "request.invalid", usage)
                }
                weights[id] = Int(weight)
            }
        }
        let pin = try await registry.pin(name, expectedGeneration: Int64(generation), instances: instances, weights: weights,
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
