import Foundation
import Hummingbird

/// Answers 429 (`rate.limited`, with `Retry-After`) to a caller past its ``RateLimiter``
/// allowance. Runs after ``AuthMiddleware``: callers are told apart by token, anonymous ones by
/// address.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = RegistrydContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let caller = context.principal.map { "token:" + $0.tokenID } ?? "address:" + (context.remoteHost ?? "unknown")
        if let wait = limiter.spend(caller) {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw APIError(.tooManyRequests, code: "rate.limited",
                           "this caller may make \(limiter.rate.formatted()) requests per second (burst \(Int(limiter.burst))); retry in \(seconds) s",
                           retryAfter: seconds)
        }
        return try await next(request, context)
    }
}
