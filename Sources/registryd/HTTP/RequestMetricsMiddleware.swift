import Hummingbird
import Prometheus
import Synchronization

/// Counts requests and times them by route, method and status (``MetricFamilies``).
///
/// Hummingbird's `MetricsMiddleware` stops its timer after the body is written by wrapping the
/// body in a closure, which makes every response go out as two writes (head, then body) instead of
/// one. registryd's bodies are whole buffers built by the handler, so the time to the
/// handler's return is the request's time; the response keeps its single write.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metrics: EndpointMetricsCache

    init(registry: PrometheusCollectorRegistry) {
        metrics = EndpointMetricsCache(registry: registry)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let active = metrics.activeRequests(request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            record(request, route: context.endpointPath, status: response.status, start: start, failed: false)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            // A 405 names the route the path matched under other methods.
            record(request, route: context.endpointPath ?? (error as? APIError)?.route, status: status, start: start, failed: true)
            throw error
        }
    }

    private func record(_ request: Request, route: String?, status: HTTPResponse.Status, start: ContinuousClock.Instant, failed: Bool) {
        let endpoint = EndpointMetricsCache.Endpoint(route: route ?? (failed ? "NotFound" : "Unknown"), method: request.method, status: status)
        let entry = metrics.endpoint(endpoint)
        entry.requests.increment()
        entry.duration.record(ContinuousClock.now - start)
        if failed { entry.errors.increment() }
    }
}

/// The metric objects of each route, method and status, made once: asking the registry for
/// them on every request costs a lookup and an allocation.
final class EndpointMetricsCache: Sendable {
    struct Endpoint: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: HTTPResponse.Status
    }

    struct Metrics: Sendable {
        let requests: Counter
        let duration: DurationHistogram
        let errors: Counter
    }

    private let registry: PrometheusCollectorRegistry
    private let endpoints = Mutex<[Endpoint: Metrics]>([:])
    private let active = Mutex<[HTTPRequest.Method: Gauge]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func endpoint(_ endpoint: Endpoint) -> Metrics {
        endpoints.withLock { cache in
            if let known = cache[endpoint] { return known }
            let labels = [("http_route", endpoint.route), ("http_request_method", endpoint.method.rawValue),
                          ("http_response_status_code", String(endpoint.status.code))]
            let made = Metrics(
                requests: registry.makeCounter(descriptor: MetricFamilies.requests, labels: labels),
                duration: registry.makeDurationHistogram(descriptor: MetricFamilies.requestDuration, labels: labels,
                                                         buckets: MetricFamilies.durationBuckets),
                errors: registry.makeCounter(descriptor: MetricFamilies.requestErrors, labels: labels))
            cache[endpoint] = made
            return made
        }
    }

    func activeRequests(_ method: HTTPRequest.Method) -> Gauge {
        active.withLock { cache in
            if let known = cache[method] { return known }
            let made = registry.makeGauge(descriptor: MetricFamilies.activeRequests, labels: [("http_request_method", method.rawValue)])
            cache[method] = made
            return made
        }
    }
}
