import HTTPTypes
import Hummingbird

/// Cluster mode, on every request: `?consistent` (as in Consul) first brings the node up to
/// the log's current head, a linearizable read of etcd, and fails with 503 when etcd cannot
/// answer; every response says how stale the node's reads may be
/// (`X-Registryd-Last-Contact`: milliseconds since etcd last answered this node, Consul's
/// `X-Consul-LastContact`).
struct ClusterReadMiddleware<Context: RequestContext>: RouterMiddleware {
    let node: ClusterNode

    static var lastContact: HTTPField.Name { HTTPField.Name("X-Registryd-Last-Contact")! }
    /// The log position this node had applied when it answered: after a write, at least the
    /// write's own (what a forwarding node waits for).
    static var position: HTTPField.Name { HTTPField.Name("X-Registryd-Position")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.queryParameters.has("consistent") {
            do {
                try await node.catchUpToHead()
            } catch {
                throw APIError(.serviceUnavailable, code: "cluster.unavailable",
                               "a consistent read needs etcd's current revision, which it cannot give now: \(error)", retryAfter: 1)
            }
        }
        var response = try await next(request, context)
        response.headers[Self.lastContact] = String(node.staleness)
        response.headers[Self.position] = String(node.health.position)
        return response
    }
}
