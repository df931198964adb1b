import AccessControl
import AccessService
import Foundation
import Hummingbird
import JOSE
import Ontology
import Registry

/// `/v1/bindings` (list, show, revoke), `/.well-known/jwks.json` and key rotation.
struct BindingsController {
    let access: AccessService

    /// `/.well-known/jwks.json`, added before the token check: the keys are public.
    static func addKeySetRoute(to router: Router<RegistrydContext>, access: AccessService) {
        router.get(".well-known/jwks.json") { _, _ in
            var response = try JSONResponse.make(access.keys.jwks)
            response.headers[.contentType] = "application/jwk-set+json"
            response.headers[.cacheControl] = "max-age=60"
            return response
        }
    }

    func addRoutes(to router: Router<RegistrydContext>) {
        router.post("v1/keys/rotate") { _, context in
            try context.requireAdmin()
            let key: SigningKey
            if access.keys.directory.isEmpty {
                // Cluster mode: the site's ring, rotated for every node through the journal.
                key = try await access.rotateSharedKey()
            } else {
                key = try access.keys.rotate()
                try await access.announceRotation(kid: key.kid)
            }
            struct Body: Encodable { var kid: String; var jwks: JWKSet }
            return try JSONResponse.make(Body(kid: key.kid, jwks: access.keys.jwks), index: access.journal.index)
        }
        let group = router.group("v1/bindings")
        group.get { request, context in
            try context.require("list bindings (admin or decide scope)", \.mayDecide)
            let query = RegistrationBody.query(of: request)
            struct Body: Encodable { var bindings: [View] }
            let bindings = access.bindings(subject: query["subject"], api: query["api"]).map { View(claims: $0.0, revoked: $0.revoked) }
            return try JSONResponse.make(Body(bindings: bindings), index: access.journal.index)
        }
        group.get(":id") { _, context in
            try context.require("read bindings (admin or decide scope)", \.mayDecide)
            let id = try context.parameters.require("id")
            guard let (claims, revoked) = access.binding(id) else { throw RegistryError(.notFound, "no live binding `\(id)`") }
            return try JSONResponse.make(View(claims: claims, revoked: revoked))
        }
        group.delete(":id") { _, context in
            try context.requireAdmin()
            let id = try context.parameters.require("id")
            guard access.binding(id) != nil || access.isRevoked(id) else { throw RegistryError(.notFound, "no live binding `\(id)`") }
            let index = try await access.revoke([id])
            var response = Response(status: .noContent)
            response.headers[.registryIndex] = String(index)
            return response
        }
    }

    struct View: Encodable {
        var id: String
        var subject: String
        var api: String
        var action: Action
        var issued: String
        var expires: String
        var generation: Int64
        var revoked: Bool
        var claims: BindingClaims

        init(claims: BindingClaims, revoked: Bool) {
            id = claims.jti
            subject = claims.sub
            api = claims.api
            action = claims.act
            issued = Timestamp(seconds: Double(claims.iat)).description
            expires = Timestamp(seconds: Double(claims.exp)).description
            generation = claims.generation
            self.revoked = revoked
            self.claims = claims
        }
    }
}
