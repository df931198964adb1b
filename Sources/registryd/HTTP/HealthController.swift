import Hummingbird

/// `GET /health`: answers 200 with `{"status":"ok"}` while the daemon serves requests.
struct HealthController<Context: RequestContext> {
    func addRoutes(to router: Router<Context>) {
        router.get("health") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
    }
}
