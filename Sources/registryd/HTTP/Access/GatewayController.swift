import AccessControl
import AccessService
import Foundation
import HTTPTypes
import Hummingbird
import JOSE
import Ontology
import Registry

/// `/v1/gateway/authorize`: the adapter of nginx's `auth_request` and of Caddy's and Traefik's
/// `forward_auth`. 200 with the binding in `X-Registryd-Binding` (and its HTTP endpoint for the
/// method in `X-Registryd-Endpoint`), 401 without a valid credential or binding, 403 when denied.
///
/// What is judged comes from the original request, never from what its client may add
/// (docs/trust.md): the API name is the path of `X-Original-URI` (nginx) or `X-Forwarded-Uri`
/// (Caddy, Traefik), refused when both are sent and differ, since a client can add the one its
/// gateway does not set (a path that could mean two
/// things to two servers, with `;`, `#`, escaped `/` or `.`, empty or dot segments, is refused,
/// not judged), and the action from the original method (`X-Original-Method` or
/// `X-Forwarded-Method`, likewise) through
/// ``GatewaySettings/actions``; the method is in the decision's context (`context.method`) and
/// in the binding, which is good for that method only. `X-Registryd-API`, `X-Registryd-Action`
/// and `X-Registryd-Prefix` are read only when an admin started the daemon with
/// `--gateway-headers` (and then the gateway must set or clear them, as the shipped
/// `examples/nginx` configuration does).
struct GatewayController {
    let access: AccessService
    var settings = GatewaySettings()

    func addRoutes(to router: Router<RegistrydContext>) {
        // nginx sends the subrequest with the original request's method.
        for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch, .options] {
            router.on("v1/gateway/authorize", method: method) { request, context in try await authorize(request, context) }
        }
    }

    private func authorize(_ request: Request, _ context: RegistrydContext) async throws -> Response {
        try context.require("authorize gateway requests (decide scope)", \.mayDecide)
        let headers = request.headers
        let original: (uri: String?, method: String?)
        switch Self.original(headers) {
        case .success(let found): original = found
        case .failure(let problem): return denial(.forbidden, problem.message, code: "gateway.ambiguous_request")
        }
        let method = (original.method ?? request.method.rawValue).uppercased()
        let api: String
        if settings.trustsHeaders, let named = headers[.registrydAPI] {
            api = named
        } else {
            guard let uri = original.uri else {
                throw APIError(.badRequest, code: "gateway.no_uri", "the gateway must send X-Original-URI (nginx) or X-Forwarded-Uri (Caddy, Traefik)")
            }
            let prefix = settings.trustsHeaders ? headers[.registrydPrefix] : nil
            switch GatewayPath.apiName(uri: uri, prefix: prefix) {
            case .success(let name): api = name
            case .failure(let problem): return denial(.forbidden, problem.message, code: "gateway.refused_uri")
            }
        }
        // A path that is no API name is a request for nothing the policies name: denied.
        if let problem = DecisionsController.apiProblem(api) { return denial(.forbidden, problem) }
        let action: Action
        if settings.trustsHeaders, let named = headers[.registrydAction] {
            action = try DecisionsController.action(named)
        } else {
            guard let mapped = settings.actions[method] else {
                return denial(.forbidden, "the gateway does not map the method `\(method)` to an action (serve --gateway-action)",
                              code: "gateway.refused_method")
            }
            action = mapped
        }

        guard let authorization = headers[.authorization] else {
            return denial(.unauthorized, "no credential (Authorization: Bearer <binding or credential>)")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return denial(.unauthorized, "the Authorization header is not a bearer credential") }
        let token = parts[1].trimmingCharacters(in: .whitespaces)

        // A binding issued earlier: check it without a new decision.
        if let header = try? CompactJWS.decode(token).header, header.typ == "binding+jwt" {
            switch access.verifyBinding(token) {
            case .failure(let error):
                return denial(.unauthorized, error.message)
            case .success(let claims):
                guard claims.api == api, claims.act == action else {
                    return denial(.forbidden, "the binding is for \(claims.act.rawValue) on \(claims.api), not \(action.rawValue) on \(api)")
                }
                // A binding decided for one method is good for that method (and HEAD for GET) only.
                if let bound = claims.method, bound != method, !(bound == "GET" && method == "HEAD") {
                    return denial(.forbidden, "the binding is for \(bound) requests, not \(method)")
                }
                return allowed(token: token, subject: claims.sub, endpoint: Self.endpoint(in: claims, method: method))
            }
        }

        var credentials = [token]
        credentials += headers[values: .registrydCredential].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        // The subject is whoever the first verifiable credential is about.
        guard let subject = credentials.lazy.compactMap({ self.subject(of: $0) }).first else {
            return denial(.unauthorized, "no credential verifies (unknown issuer, forged, or malformed)")
        }
        let outcome = try await access.decide(subject: subject.0, credentials: credentials, api: api, action: action,
                                        context: ["method": .string(method)], explain: false, method: method)
        if let binding = outcome.binding {
            return allowed(token: binding, subject: subject.0, endpoint: outcome.claims.flatMap { Self.endpoint(in: $0, method: method) })
        }
        // Expired credentials are an authentication failure; a policy refusal is 403.
        if subject.1 <= access.clock().seconds { return denial(.unauthorized, "the credential expired") }
        return denial(.forbidden, outcome.decision.reason)
    }

    /// The original request's URI and method, as nginx (`X-Original-*`) or Caddy and Traefik
    /// (`X-Forwarded-*`) send them. Both forms present and different: one was the client's.
    static func original(_ headers: HTTPFields) -> Result<(uri: String?, method: String?), GatewayPathError> {
        func one(_ name: String, _ nginx: HTTPField.Name, _ forwarded: HTTPField.Name) -> Result<String?, GatewayPathError> {
            let values = headers[values: nginx] + headers[values: forwarded]
            guard let first = values.first else { return .success(nil) }
            guard values.allSatisfy({ $0 == first }) else {
                return .failure(GatewayPathError("the original request's \(name) is given twice, differently (\(nginx) and \(forwarded), or repeated): a client may have set one"))
            }
            return .success(first)
        }
        return one("URI", .originalURI, .forwardedURI).flatMap { uri in
            one("method", .originalMethod, .forwardedMethod).map { (uri: uri, method: $0) }
        }
    }

    /// Who a credential is about and until when, when its signature verifies.
    private func subject(of credential: String) -> (String, Double)? {
        guard case .success(let verified) = access.verifier.verify(credential) else { return nil }
        return (verified.subject, verified.expires)
    }

    /// The URL a gateway that routes by registryd's answer sends the request to: the binding's
    /// first HTTP endpoint for the method (resolution ranks them, pins and routes choose them),
    /// so that after a name is rebound the next request goes to the instance that serves now.
    static func endpoint(in claims: BindingClaims, method: String) -> String? {
        claims.endpoints.first { endpoint in
            endpoint.protocol == EndpointProtocol.rest.rawValue
                && (endpoint.method.map { $0.uppercased() == method || ($0.uppercased() == "GET" && method == "HEAD") } ?? true)
        }?.address
    }

    private func allowed(token: String, subject: String, endpoint: String?) -> Response {
        var headers = HTTPFields()
        headers[.registrydBinding] = token
        headers[.registrydSubject] = subject
        if let endpoint { headers[.registrydEndpoint] = endpoint }
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"decision":"permit"}"#)))
    }

    private func denial(_ status: HTTPResponse.Status, _ message: String, code: String? = nil) -> Response {
        var error = APIError(status, code: code ?? (status == .unauthorized ? "gateway.unauthenticated" : "gateway.denied"), message)
        if status == .unauthorized { error.headers[.wwwAuthenticate] = #"Bearer realm="registryd""# }
        return error.response
    }
}

extension HTTPField.Name {
    static let originalURI = HTTPField.Name("X-Original-URI")!
    static let originalMethod = HTTPField.Name("X-Original-Method")!
    static let forwardedURI = HTTPField.Name("X-Forwarded-Uri")!
    static let forwardedMethod = HTTPField.Name("X-Forwarded-Method")!
    static let registrydAPI = HTTPField.Name("X-Registryd-API")!
    static let registrydAction = HTTPField.Name("X-Registryd-Action")!
    static let registrydPrefix = HTTPField.Name("X-Registryd-Prefix")!
    static let registrydCredential = HTTPField.Name("X-Registryd-Credential")!
    static let registrydBinding = HTTPField.Name("X-Registryd-Binding")!
    static let registrydSubject = HTTPField.Name("X-Registryd-Subject")!
    static let registrydEndpoint = HTTPField.Name("X-Registryd-Endpoint")!
    static let registrydToken = HTTPField.Name("X-Registryd-Token")!
}
