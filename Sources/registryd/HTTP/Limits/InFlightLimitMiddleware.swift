import Hummingbird
import Synchronization

/// Sheds load: past `limit` requests being handled at once, a new request is answered 503
/// (`server.overloaded`, `Retry-After: 1`) at once instead of queueing, so an overloaded daemon
/// keeps answering quickly and its memory stays bounded. Streams count only while their handler
/// runs (an event stream's body is written after), long polls for their whole wait.
struct InFlightLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    private let inFlight = InFlightCounter()

    init(limit: Int) {
        self.limit = limit
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard inFlight.enter(limit: limit) else {
            throw APIError(.serviceUnavailable, code: "server.overloaded",
                           "the server is handling \(limit) requests; retry later", retryAfter: 1)
        }
        defer { inFlight.leave() }
        return try await next(request, context)
    }
}

/// The requests being handled now.
final class InFlightCounter: Sendable {
    private let count = Atomic<Int>(0)

    func enter(limit: Int) -> Bool {
        if count.add(1, ordering: .relaxed).newValue > limit {
            count.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func leave() {
        count.subtract(1, ordering: .relaxed)
    }
}
