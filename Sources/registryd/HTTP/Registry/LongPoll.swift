import Foundation
import Hummingbird
import Registry

/// Consul-style blocking queries: `?index=N&wait=30s` holds the request until a change after
/// index N that concerns the answer, or until the wait (default 60 s, at most 10 min) runs out.
/// Each endpoint says what concerns it with a ``WatchFilter`` (a long-poll on one name wakes
/// for that name only).
enum LongPoll {
    /// Returns whether the request was a blocking query (its answer must then close the
    /// connection: ``closing(_:if:)``).
    @discardableResult
    static func wait(_ request: Request, registry: Registry, for filter: WatchFilter = WatchFilter()) async throws -> Bool {
        let query = request.uri.queryParameters
        var wait: Int64 = 60_000
        if let text = query.get("wait") {
            if let value = LeaseDuration.milliseconds(text) {
                wait = min(value, 600_000)
            } else if !text.isEmpty, text.drop(while: { $0.isASCII && $0.isNumber }).allSatisfy({ "mshd.".contains($0) }),
                      text.first?.isNumber == true {
                wait = 600_000  // well formed but longer than LeaseDuration reads: the 10 min cap
            } else {
                throw RegistryError(.invalidRequest, "`wait`: `\(text)` is not a duration such as 30s")
            }
        }
        guard let indexText = query.get("index") else { return false }
        guard let index = Int64(indexText), index >= 0 else {
            throw RegistryError(.invalidRequest, "`index`: expected a change index (a non-negative integer)")
        }
        // A client that gives up (its own timeout shorter than `wait`) closes the connection: the
        // wait ends then, rather than holding a watcher for up to 10 minutes. Hummingbird cannot
        // keep a connection whose request body was consumed this way, so only blocking queries
        // pay for it, and their answer says `Connection: close`.
        try await request.body.consumeWithCancellationOnInboundClose { _ in
            await registry.waitForChange(after: index, matching: filter, timeout: .milliseconds(wait))
            try Task.checkCancellation()
        }
        return true
    }

    /// `response`, saying `Connection: close` after a blocking query (the server closes it then:
    /// a client told so opens a new connection instead of finding this one dead).
    static func closing(_ response: Response, if blocked: Bool) -> Response {
        guard blocked else { return response }
        var response = response
        response.headers[.connection] = "close"
        return response
    }

    /// The filter an event stream's query gives: `name` (a name prefix, as in
    /// `/v1/services?name=`), `type` (event kinds, comma-separated, `service.*` for a family)
    /// and `id` (one registration or host).
    static func eventFilter(_ request: Request) throws -> WatchFilter {
        let query = request.uri.queryParameters
        var filter = WatchFilter()
        if let name = query.get("name"), !name.isEmpty { filter.name = .prefix(name) }
        if let id = query.get("id"), !id.isEmpty { filter.id = id }
        for text in query.getAll("type") {
            for kind in text.split(separator: ",") {
                let kind = kind.trimmingCharacters(in: .whitespaces)
                let body = kind.hasSuffix(".*") ? kind.dropLast(2) : Substring(kind)
                guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) else {
                    throw RegistryError(.invalidRequest, "`type`: `\(kind)` is not an event kind such as service.health or a family such as service.*")
                }
                filter.kinds.insert(kind)
            }
        }
        return filter
    }
}
