import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Registry

/// `GET /v1/events?since=N`: the change log as Server-Sent Events, then every new change as it
/// commits; `name`, `type` and `id` narrow it to a name prefix, event kinds and one registration
/// (``LongPoll/eventFilter(_:)``). Each event's `id` is its index, so a client that reconnects with `Last-Event-ID`
/// (or `since`) continues where it stopped; if the events it missed were discarded it first gets
/// a `reset` event and must re-list.
struct EventsController {
    let registry: Registry
    /// How often an idle stream sends a comment, so proxies and clients see it alive.
    var keepAlive: Duration = .seconds(15)

    func addRoutes(to router: Router<RegistrydContext>) {
        router.get("v1/events") { request, context in try events(request, context) }
    }

    private func events(_ request: Request, _ context: RegistrydContext) throws -> Response {
        try context.requireQuery()
        let filter = try LongPoll.eventFilter(request)
        return try EventStream(registry: registry, keepAlive: keepAlive, filter: filter).response(request) { event in
            "id: \(event.index)\nevent: \(event.type.rawValue)\ndata: \(event.compactJSON)\n\n"
        }
    }
}

/// The change log as Server-Sent Events from the index a client gives (`since`, or
/// `Last-Event-ID` when it reconnects), then every change as it commits, each written by
/// `render` (nil: not for this stream). An idle stream sends a comment every `keepAlive`.
struct EventStream {
    let registry: Registry
    var keepAlive: Duration = .seconds(15)
    /// The events the stream shows; the others do not wake it.
    var filter = WatchFilter()

    func response(_ request: Request, render: @escaping @Sendable (RegistryEvent) -> String?) throws -> Response {
        let sinceText = request.uri.queryParameters.get("since") ?? request.headers[HTTPField.Name("Last-Event-ID")!]
        var since = registry.index
        if let sinceText {
            guard let value = Int64(sinceText), value >= 0 else {
                throw RegistryError(.invalidRequest, "`since`: expected a change index (a non-negative integer)")
            }
            since = value
        }
        let registry = self.registry
        let start = since
        let keepAlive = self.keepAlive
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[.registryIndex] = String(registry.index)
        return Response(status: .ok, headers: headers, body: ResponseBody { [filter] writer in
            // The stream ends when the client goes away, not at the next keep-alive it fails to send.
            try await request.body.consumeWithCancellationOnInboundClose { _ in
                var last = start
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                while !Task.isCancelled && !registry.isShuttingDown {
                    let batch = registry.events(after: last)
                    var text = ""
                    for event in batch where filter.matches(event) {
                        if let rendered = render(event) { text += rendered }
                    }
                    if let newest = batch.last { last = max(last, newest.index) }
                    if !text.isEmpty {
                        try await writer.write(ByteBuffer(string: text))
                    } else if batch.isEmpty || !filter.isEmpty {
                        // A filtered stream sleeps through the changes it does not show.
                        let began = ContinuousClock.now
                        await registry.waitForChange(after: last, matching: filter, timeout: keepAlive)
                        if ContinuousClock.now - began >= keepAlive {
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                }
            }
            try await writer.finish(nil)
        })
    }
}
