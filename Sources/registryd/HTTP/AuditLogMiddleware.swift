import Hummingbird
import JSON
import Ontology
import Registry

/// Writes every request that may change the site (any method but GET, HEAD and OPTIONS, and
/// not a decision, which the decision log has) to the audit log once it is answered: who (the
/// token id), what (method, path, status, the change index after it), from where (the client's
/// address), as one JSON line. Also makes the token the author of the changes the request
/// journals (``ChangeAuthor``), so their events carry it.
struct AuditLogMiddleware: RouterMiddleware {
    typealias Context = RegistrydContext
    /// nil: no audit log, events are still stamped with their author.
    let log: JSONLinesLog?

    /// Requests that ask and change nothing.
    static let notChanges: Set<String> = ["/v1/decisions", "/v1/gateway/authorize"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.method {
        case .get, .head, .options: return try await next(request, context)
        default: break
        }
        let token = context.principal?.tokenID
        guard let log, !Self.notChanges.contains(request.uri.path) else {
            return try await ChangeAuthor.$token.withValue(token) { try await next(request, context) }
        }
        do {
            let response = try await ChangeAuthor.$token.withValue(token) { try await next(request, context) }
            write(log, request, context, status: response.status.code, index: response.headers[.registryIndex])
            return response
        } catch {
            // Converted here (the error middleware passes an APIError on) to log its status.
            let answer = APIError(converting: error, logger: context.logger)
            write(log, request, context, status: answer.status.code, index: nil)
            throw answer
        }
    }

    private func write(_ log: JSONLinesLog, _ request: Request, _ context: Context, status: Int, index: String?) {
        var writer = JSONTextWriter(capacity: 256)
        writer.beginObject()
        writer.member("type", "change")
        writer.member("time", Timestamp.now.description)
        writer.member("token", context.principal?.tokenID)
        writer.member("address", context.remoteHost)
        // Cluster mode: a write another node forwarded to the leader is logged here, the leader;
        // `address` is then that node's, and these say which node and whose write it was (as the
        // node claims: any client can send the headers, `address` is what this server saw).
        writer.member("forwarded_by", request.headers[.forwardedBy])
        writer.member("forwarded_for", request.headers[.forwardedFor])
        writer.member("method", request.method.rawValue)
        writer.member("path", request.uri.path)
        writer.member("status", status)
        // The change index the answer reports (registrations, pins, policies answer with it).
        writer.member("index", index.flatMap { Int64($0) })
        writer.endObject()
        log.write(writer.text)
    }
}
