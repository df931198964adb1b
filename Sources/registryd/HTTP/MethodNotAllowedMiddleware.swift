import Hummingbird

/// Answers 405 with `Allow` for a path the router knows under other methods, instead of the
/// router's 404. Added to the router after every route, so it wraps only the not-found path.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each route's path segments (`:name` matches any one segment) with its methods.
    private let routes: [(path: String, segments: [Substring], methods: Set<String>)]

    init(routes: [(path: String, method: HTTPRequest.Method)]) {
        var table: [String: Set<String>] = [:]
        for route in routes { table[route.path, default: []].insert(route.method.rawValue) }
        self.routes = table.map { (path, methods) in (path, path.split(separator: "/"), methods) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        var allowed = Set<String>()
        var matched: String?
        for route in routes where route.segments.count == segments.count {
            if zip(route.segments, segments).allSatisfy({ $0.hasPrefix(":") || $0 == $1 }) {
                allowed.formUnion(route.methods)
                // The most literal pattern names the route (`/v1/services/pull` over `/v1/services/:id`).
                if matched.map({ route.path.filter { $0 == ":" }.count < $0.filter { $0 == ":" }.count }) ?? true { matched = route.path }
            }
        }
        guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return try await next(request, context) }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        let list = allowed.sorted().joined(separator: ", ")
        var error = APIError(.methodNotAllowed, code: "http.method_not_allowed", "\(request.uri.path) answers \(list), not \(request.method.rawValue)")
        error.headers[.allow] = list
        error.route = matched.map { $0.hasPrefix("/") ? $0 : "/" + $0 }
        throw error
    }
}
