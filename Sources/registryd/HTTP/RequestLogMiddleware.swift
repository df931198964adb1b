import Hummingbird
import Logging

/// Logs each request once it is answered, with Hummingbird's request id (`hb.request.id`) in
/// the logger's metadata: method, path, status and duration. Successful requests at `debug`,
/// client errors and 503 (load shed) at `info`, other server errors at `error`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, start: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: error.status.code, start: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        // 503 is load shedding or a query timeout, working as configured; at error level a
        // sustained overload would flood the log.
        let level: Logger.Level = status >= 500 && status != 503 ? .error : status >= 400 ? .info : .debug
        context.logger.log(level: level, "request", metadata: [
            "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status)",
            "ms": "\((milliseconds * 1000).rounded() / 1000)",
        ])
    }
}
