import AccessService
import Hummingbird
import JSON
import Ontology
import Registry

/// The one error type the HTTP layer answers with: a status and a JSON body
/// `{"error": {"code": "...", "message": "..."}}`.
struct APIError: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    /// Headers the answer carries besides the body's, e.g. `Retry-After` or `Allow`.
    var headers = HTTPFields()
    /// The route pattern a 405's path matched under other methods, for the request metrics.
    var route: String?

    /// `retryAfter`: seconds the client should wait before retrying (`Retry-After`), for 429 and 503.
    init(_ status: HTTPResponse.Status, code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // A HEAD is answered as its GET would be, without the body (RFC 9110 §9.3.2).
        request.method == .head ? response.createHeadResponse() : response
    }

    /// The answer: the status, the headers and the error body.
    var response: Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Self.body(code: code, message: message))))
    }

    /// The one error body of the API: `{"error":{"code":"...","message":"..."}}`.
    static func body(code: String, message: String) -> [UInt8] {
        var writer = JSONTextWriter(capacity: 64 + message.utf8.count)
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.member("code", code)
        writer.member("message", message)
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}

extension APIError {
    /// The status for each registry error code.
    init(_ error: RegistryError) {
        let status: HTTPResponse.Status
        switch error.code {
        case .notFound: status = .notFound
        case .conflict: status = .conflict
        case .forbidden, .notOwned, .schemaStatement: status = .forbidden
        case .storage: status = .internalServerError
        case .unavailable: status = .serviceUnavailable
        case .tooLarge: status = .contentTooLarge
        case .syntax, .invalidManifest, .unknownField, .invalidName, .invalidRequest: status = .badRequest
        }
        self.init(status, code: error.code.rawValue, error.message)
    }

    /// The status for each access service error code.
    init(_ error: AccessServiceError) {
        let status: HTTPResponse.Status
        switch error.code {
        case .notFound: status = .notFound
        case .conflict: status = .conflict
        case .invalidRequest: status = .badRequest
        case .bindingInvalid, .bindingExpired, .bindingNotYetValid, .bindingRevoked: status = .unauthorized
        }
        self.init(status, code: error.code.rawValue, error.message)
    }

    /// The status for each library error code: bad input is the client's fault (4xx); I/O and
    /// storage failures are the server's (5xx).
    init(_ error: OntologyError) {
        let status: HTTPResponse.Status
        switch error.code {
        case .io, .storage, .storeSchema, .storeClosed, .storeMisuse: status = .internalServerError
        case .storeLocked, .sparqlTimeout, .replicationUnavailable: status = .serviceUnavailable
        case .replicationTooLarge: status = .contentTooLarge
        case .rdfxmlEntityLimit, .rdfxmlDepthLimit: status = .contentTooLarge
        case .sparqlUnsupported: status = .notImplemented
        case .storeReadOnlyGraph: status = .conflict
        case .sparqlLoadForbidden: status = .forbidden
        case .sparqlLoadNotFound: status = .notFound
        default: status = .badRequest
        }
        // The store does not know who owns its in-memory graphs; here the owner is the registry.
        let hint = error.code == .storeReadOnlyGraph ? " (a registration's graph: change it through /v1/services)" : ""
        self.init(status, code: error.code.rawValue, error.description + hint)
    }
}
