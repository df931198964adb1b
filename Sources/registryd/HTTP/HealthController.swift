import Hummingbird
import JSON

/// `GET /health`: answers 200 while the daemon serves requests, with `{"status":"ok"}`, or
/// `{"status":"degraded","problems":[...]}` when it serves in a reduced way (e.g. a policy set
/// that no longer validates, so the last good generation stays in force). 200 either way: a
/// degraded daemon still answers, and a liveness probe must not restart it for that.
struct HealthController<Context: RequestContext> {
    /// What is degraded now; empty when nothing is.
    var problems: @Sendable () -> [String] = { [] }
    /// Cluster mode: the node's name, applied position and lag.
    var node: @Sendable () -> JSONValue? = { nil }

    func addRoutes(to router: Router<Context>) {
        let problems = self.problems
        let node = self.node
        router.get("health") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let found = problems()
            var body = JSONTextWriter(capacity: 64)
            body.beginObject()
            if let node = node() {
                body.key("node")
                body.value(node)
            }
            if !found.isEmpty { body.member("problems", found) }
            body.member("status", found.isEmpty ? "ok" : "degraded")
            body.endObject()
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.bytes)))
        }
    }
}
