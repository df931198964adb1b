import AccessControl
import AccessService
import Foundation
import Hummingbird
import JOSE
import JSON
import Registry

/// `/v1/authorities` (attribute authorities and their public keys) and `/v1/subjects`
/// (subject attributes kept in the registry).
struct AuthoritiesController {
    let access: AccessService
    let limits: BodyLimits

    func addRoutes(to router: Router<RegistrydContext>) {
        let authorities = router.group("v1/authorities")
        authorities.get { _, context in
            try context.requireAdmin()
            struct Body: Encodable { var authorities: [AuthorityView] }
            return try JSONResponse.make(Body(authorities: access.authorities.map(AuthorityView.init)))
        }
        authorities.get(":name") { _, context in
            try context.requireAdmin()
            let name = try identifier(context, "name")
            guard let authority = access.authorities.first(where: { $0.name == name }) else { throw AccessServiceError(.notFound, "no authority named `\(name)`") }
            return try JSONResponse.make(AuthorityView(authority))
        }
        authorities.put(":name") { request, context in
            try context.requireAdmin()
            let name = try identifier(context, "name")
            var request = request
            // RFC 7517 §4: members a JWK reader does not understand (`key_ops`, `x5c`, ...) are ignored.
            let keys = try await request.decodeJSON(JWKSet.self, limit: limits.control, ignoringUnknownFields: true)
            try await access.setAuthority(name, keys: keys)
            return try JSONResponse.make(AuthorityView(Authority(name: name, keys: keys)), index: access.journal.index)
        }
        authorities.delete(":name") { _, context in
            try context.requireAdmin()
            try await access.setAuthority(try identifier(context, "name"), keys: nil)
            return Response(status: .noContent)
        }

        let subjects = router.group("v1/subjects")
        subjects.get { _, context in
            try context.requireAdmin()
            struct Body: Encodable { var subjects: [String] }
            return try JSONResponse.make(Body(subjects: access.subjectIDs))
        }
        subjects.get(":id") { _, context in
            try context.requireAdmin()
            let id = try identifier(context, "id")
            guard let attributes = access.subject(id) else { throw AccessServiceError(.notFound, "no subject `\(id)`") }
            return try JSONResponse.make(SubjectBody(id: id, attributes: attributes))
        }
        subjects.put(":id") { request, context in
            try context.requireAdmin()
            let id = try identifier(context, "id")
            var request = request
            let body = try await request.decodeJSON(SubjectBody.self, limit: limits.control)
            guard body.id == nil || body.id == id else {
                throw APIError(.badRequest, code: "request.invalid", "`id` in the body must be the subject's id in the path, \(id), or absent")
            }
            try await access.setSubject(id, attributes: body.attributes)
            return try JSONResponse.make(SubjectBody(id: id, attributes: body.attributes), index: access.journal.index)
        }
        subjects.delete(":id") { _, context in
            try context.requireAdmin()
            try await access.setSubject(try identifier(context, "id"), attributes: nil)
            return Response(status: .noContent)
        }
    }

    /// `{"name", "keys": [JWK...]}`: a JWK set with its name, so it can be PUT back as is.
    struct AuthorityView: Encodable {
        var name: String
        var keys: [JWK]

        init(_ authority: Authority) {
            name = authority.name
            keys = authority.keys.keys
        }
    }

    struct SubjectBody: Codable {
        var id: String?
        var attributes: [String: JSONValue]
    }

    private func identifier(_ context: RegistrydContext, _ parameter: String) throws -> String {
        let value = try context.parameters.require(parameter)
        guard !value.isEmpty, value.utf8.count <= 256, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "/") }) else {
            throw APIError(.badRequest, code: "request.invalid_name", "`\(parameter)` must be 1 to 256 printable ASCII characters without '/'")
        }
        return value
    }
}
