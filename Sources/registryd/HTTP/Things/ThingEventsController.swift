import Hummingbird
import JSON
import Registry

/// The WoT directory's Notification API (WoT Discovery §7.3.2.4): `GET /events` streams
/// `thing_created`, `thing_updated` and `thing_deleted` as Server-Sent Events, and
/// `GET /events/{type}` only those of one type. Each event's data is `{"id": "<the TD's id>"}`
/// and its SSE `id` the change index, so `Last-Event-ID` resumes a stream as on `/v1/events`.
/// A Thing whose lease ran out is `thing_deleted`.
struct ThingEventsController {
    let registry: Registry
    var keepAlive: Duration = .seconds(15)

    static let types = ["thing_created", "thing_updated", "thing_deleted"]

    func addRoutes(to router: Router<RegistrydContext>) {
        router.get("events") { request, context in try stream(request, context, only: nil) }
        router.get("events/:type") { request, context in
            let type = try context.parameters.require("type")
            guard Self.types.contains(type) else {
                throw APIError(.notFound, code: "things.event_type", "`\(type)` is not one of \(Self.types.joined(separator: ", "))")
            }
            return try stream(request, context, only: type)
        }
    }

    /// The WoT type of a registry event about a Thing, or nil.
    static func type(of event: RegistryEvent) -> String? {
        guard event.thing != nil else { return nil }
        switch event.type {
        case .serviceRegistered: return "thing_created"
        case .serviceUpdated: return "thing_updated"
        case .serviceDeregistered, .leaseExpired: return "thing_deleted"
        default: return nil
        }
    }

    private func stream(_ request: Request, _ context: RegistrydContext, only: String?) throws -> Response {
        try context.requireQuery()
        return try EventStream(registry: registry, keepAlive: keepAlive).response(request) { event in
            guard let type = Self.type(of: event), only == nil || only == type, let thing = event.thing else { return nil }
            var writer = JSONTextWriter()
            writer.beginObject()
            writer.member("id", thing)
            writer.endObject()
            return "id: \(event.index)\nevent: \(type)\ndata: \(writer.text)\n\n"
        }
    }
}
