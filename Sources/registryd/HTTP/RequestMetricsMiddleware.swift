import Hummingbird
import Metrics
import Synchronization

/// Counts requests and times them, under the labels of Hummingbird's `MetricsMiddleware`
/// (`hb.requests`, `http.server.request.duration`, `hb.request.errors`,
/// `http.server.active_requests`), by route, method and status.
///
/// Hummingbird's middleware stops its timer after the body is written by wrapping the body in
/// a closure, which makes every response go out as two writes (head, then body) instead of
/// one. registryd's bodies are whole buffers built by the handler, so the time to the
/// handler's return is the request's time; the response keeps its single write.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metrics = EndpointMetricsCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let active = metrics.activeRequests(request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status, start: start, failed: false)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context, status: status, start: start, failed: true)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: HTTPResponse.Status, start: ContinuousClock.Instant,
                        failed: Bool) {
        let endpoint = EndpointMetricsCache.Endpoint(route: context.endpointPath ?? (failed ? "NotFound" : "Unknown"),
                                                     method: request.method, status: status)
        let entry = metrics.endpoint(endpoint)
        entry.requests.increment()
        let elapsed = ContinuousClock.now - start
        entry.duration.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        if failed { entry.errors.increment() }
    }
}

/// The metric objects of each route, method and status, made once: asking the metrics
/// factory for them on every request costs a lookup and an allocation.
final class EndpointMetricsCache: Sendable {
    struct Endpoint: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: HTTPResponse.Status
    }

    struct Metrics: Sendable {
        let requests: Counter
        let duration: Timer
        let errors: Counter
    }

    private let endpoints = Mutex<[Endpoint: Metrics]>([:])
    private let active = Mutex<[HTTPRequest.Method: Meter]>([:])

    func endpoint(_ endpoint: Endpoint) -> Metrics {
        endpoints.withLock { cache in
            if let known = cache[endpoint] { return known }
            let dimensions = [("http.route", endpoint.route), ("http.request.method", endpoint.method.rawValue),
                              ("http.response.status_code", String(endpoint.status.code))]
            let made = Metrics(
                requests: Counter(label: "hb.requests", dimensions: dimensions),
                duration: Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds),
                errors: Counter(label: "hb.request.errors", dimensions: [
                    ("http.route", endpoint.route), ("http.request.method", endpoint.method.rawValue),
                    ("error.type", String(endpoint.status.code)),
                ]))
            cache[endpoint] = made
            return made
        }
    }

    func activeRequests(_ method: HTTPRequest.Method) -> Meter {
        active.withLock { cache in
            if let known = cache[method] { return known }
            let made = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            cache[method] = made
            return made
        }
    }
}
