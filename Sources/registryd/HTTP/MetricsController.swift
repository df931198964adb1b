import Hummingbird
import Prometheus

/// `GET /metrics`: every metric of the process in the Prometheus text format.
struct MetricsController {
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: Router<RegistrydContext>) {
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
