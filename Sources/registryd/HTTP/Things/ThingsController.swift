import AccessService
import Foundation
import Hummingbird
import JOSE
import JSON
import Ontology
import Registry

/// `/things`: the W3C WoT Thing Description Directory's Things API (WoT Discovery §7.3.2.1).
///
/// - `PUT /things/{id}` creates (201) or replaces (204) the TD with that `id`; `POST /things`
///   creates an anonymous TD (one without `id`), mints `urn:uuid:...` for it and answers 201
///   with `Location`; `PATCH /things/{id}` applies a JSON Merge Patch (RFC 7396); `DELETE`
///   removes; `GET /things/{id}` gives the TD back as it was stored (an anonymous TD with its
///   minted `id` added at the front); `GET /things` lists TDs as a JSON array, `offset` and
///   `limit` paging it with a `Link: <...>; rel="next"`.
/// - A TD is checked against the W3C TD 1.1 JSON Schema (``ServerSettings/thingSchema``) and
///   read as the registry reads any TD (``ThingDescriptionDecoder``); every error is RFC 9457
///   problem details, the schema's failures in `validationErrors`.
/// - A TD is a registration like any other: its graph holds the registry's vocabulary and the
///   TD in the W3C TD ontology, its name and lease (from `registration.ttl` or
///   `registration.expires`, WoT Discovery §7.2.2.2) work as for `/v1/services`, and only a
///   token that may register its name may write it.
struct ThingsController {
    typealias Context = RegistrydContext
    let registry: Registry
    let access: AccessService
    let settings: ServerSettings

    /// The media types a TD may be sent as.
    static let tdTypes: Set<String> = ["application/td+json", "application/json", "application/ld+json"]
    /// The most TDs one page lists.
    static let maximumLimit = 1000

    func addRoutes(to router: Router<Context>) {
        router.get("things") { request, context in await problems(context) { try await list(request, context) } }
        router.post("things") { request, context in await problems(context) { try await create(request, context) } }
        router.get("things/:id") { request, context in await problems(context) { try retrieve(request, context) } }
        router.put("things/:id") { request, context in await problems(context) { try await put(request, context) } }
        router.patch("things/:id") { request, context in await problems(context) { try await patch(request, context) } }
        router.delete("things/:id") { request, context in await problems(context) { try await delete(request, context) } }
    }

    /// The TD schema's verdict, thrown to become `validationErrors`.
    struct SchemaFailure: Error {
        let failures: [JSONSchema.Failure]
    }

    /// Runs a handler; whatever it throws is answered as problem details.
    private func problems(_ context: Context, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let failure as SchemaFailure {
            var problem = ProblemDetails(status: .badRequest, code: "things.invalid",
                                         detail: "the Thing Description does not conform to the TD 1.1 JSON Schema (\(failure.failures.count) problem\(failure.failures.count == 1 ? "" : "s"))")
            problem.validationErrors = failure.failures.map { ($0.field, $0.message) }
            return problem.response
        } catch {
            return ProblemDetails(APIError(converting: error, logger: context.logger)).response
        }
    }

    // MARK: Ids

    /// The registration a new TD is stored as: a digest, so that any id (a URN, a URL with
    /// slashes) maps to a registration id, and two ids never share one. A TD registered
    /// through `/v1/services` keeps the registration id it got there.
    static func registrationID(of thingID: String) throws -> String {
        "thing-" + String(try SHA256Digest.hex(thingID).prefix(32))
    }

    /// The `{id}` of the path, percent-decoded.
    private func thingID(_ context: Context) throws -> String {
        let raw = try context.parameters.require("id")
        guard let id = raw.removingPercentEncoding, !id.isEmpty else {
            throw APIError(.badRequest, code: "things.id", "`\(raw)` is not a percent-encoded Thing id")
        }
        return id
    }

    private func path(of thingID: String) -> String {
        "/things/" + (thingID.addingPercentEncoding(withAllowedCharacters: Self.pathCharacters) ?? thingID)
    }

    private static let pathCharacters: CharacterSet = {
        var characters = CharacterSet.alphanumerics
        characters.insert(charactersIn: "-._~:@!$&'()*+,;=")
        return characters
    }()

    /// The stored TD of a Thing id, or 404.
    private func stored(_ thingID: String) throws -> (registration: Registration, document: String) {
        guard let registration = registry.registration(thingID: thingID), let document = registration.document else {
            throw APIError(.notFound, code: "things.not_found", "no Thing Description `\(thingID)`")
        }
        return (registration, document)
    }

    // MARK: Reading

    private func retrieve(_ request: Request, _ context: Context) throws -> Response {
        try context.requireQuery()
        let (registration, document) = try stored(try thingID(context))
        var headers = HTTPFields()
        headers[.contentType] = "application/td+json"
        headers[.registryIndex] = String(registration.index)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    private func list(_ request: Request, _ context: Context) async throws -> Response {
        try context.requireQuery()
        let query = request.uri.queryParameters
        func number(_ name: String, default value: Int) throws -> Int {
            guard let text = query.get(name) else { return value }
            guard let number = Int(text), number >= 0 else {
                throw APIError(.badRequest, code: "things.paging", "`\(name)`: expected a whole number of 0 or more, not `\(text)`")
            }
            return number
        }
        let offset = try number("offset", default: 0)
        let limit = min(try number("limit", default: 100), Self.maximumLimit)
        if let format = query.get("format"), format != "array" {
            throw APIError(.badRequest, code: "things.format", "`format`: only `array` is served")
        }
        var filter = RegistrationFilter()
        filter.source = .thingDescription
        let (index, registrations) = try await registry.registrations(matching: filter)
        // The order of creation, then id: a page does not move when a later TD is added.
        let things = registrations.filter { $0.document != nil }.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        let page = things.dropFirst(offset).prefix(limit)
        var body = "["
        for (position, registration) in page.enumerated() {
            if position > 0 { body += "," }
            body += registration.document ?? "null"
        }
        body += "]\n"
        var headers = HTTPFields()
        headers[.contentType] = "application/ld+json"
        headers[.registryIndex] = String(index)
        if offset + page.count < things.count {
            headers[.link] = "</things?offset=\(offset + page.count)&limit=\(limit)>; rel=\"next\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    // MARK: Writing

    private func principal(_ context: Context) throws -> Principal {
        try context.require("register Thing Descriptions (admin or register:<prefix> scope)", \.mayRegisterSomething)
    }

    /// The body as a TD: its text and parsed value.
    private func body(_ request: inout Request, types: Set<String>) async throws -> (text: String, json: JSONValue) {
        let type = try request.bodyMediaType() ?? ""
        guard types.contains(type) else {
            throw APIError(.unsupportedMediaType, code: "request.media_type",
                           "send \(types.sorted().joined(separator: " or ")), not `\(type)`")
        }
        var buffer = try await request.collectBody(limit: settings.bodies.manifest)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIError(.badRequest, code: "request.invalid_utf8", "the body is not valid UTF-8")
        }
        let json = try JSONValue.parse(bytes)
        guard case .object = json else { throw APIError(.badRequest, code: "things.invalid", "a Thing Description is a JSON object") }
        return (text, json)
    }

    /// Checks, reads and registers a TD under `thingID`; `text` is what is stored.
    private func store(_ thingID: String, json: JSONValue, text: String, request: Request,
                       principal: Principal) async throws -> (Registration, created: Bool) {
        guard let schema = settings.thingSchema else {
            throw APIError(.serviceUnavailable, code: "things.no_schema",
                           "the TD 1.1 JSON Schema was not found (schemas/td-json-schema-validation.json in the share directory), so no Thing Description can be checked")
        }
        let failures = schema.validate(json)
        guard failures.isEmpty else { throw SchemaFailure(failures: failures) }
        // A replacement keeps the instance settings it had (tier, host, weight), and its lease
        // unless the TD gives its own.
        let existing = registry.registration(thingID: thingID)
        var instance = existing?.manifest.instance ?? InstanceSpec()
        instance.id = try existing?.id ?? Self.registrationID(of: thingID)
        if let lease = try Self.leaseMilliseconds(of: json) { instance.ttlMilliseconds = lease }
        let overrides = ThingDescriptionDecoder.Overrides(instance: instance,
                                                          documentURL: request.serverURL(path: path(of: thingID), settings: settings))
        let manifest = try ThingDescriptionDecoder.decode(json, overrides: overrides)
        return try await registry.register(.manifest(manifest, source: .thingDescription), owner: principal.tokenID, document: text,
                                           authorize: access.nameAuthorization(principal, request: request, action: .create))
    }

    /// A TD's lease from its registration information: `ttl` in seconds, or `expires`.
    static func leaseMilliseconds(of json: JSONValue) throws -> Int64? {
        guard let registration = json["registration"] else { return nil }
        if let ttl = registration["ttl"]?.numberValue {
            guard ttl > 0, ttl <= 10 * 365 * 86_400 else {
                throw APIError(.badRequest, code: "things.ttl", "`registration.ttl`: expected seconds from 1 to ten years")
            }
            return Int64((ttl * 1000).rounded(.up))
        }
        if let expires = registration["expires"]?.stringValue {
            guard let time = Timestamp(rfc3339: expires) else {
                throw APIError(.badRequest, code: "things.ttl", "`registration.expires`: `\(expires)` is not an RFC 3339 date-time")
            }
            let remaining = time.milliseconds - Timestamp.now.milliseconds
            guard remaining > 0 else { throw APIError(.badRequest, code: "things.ttl", "`registration.expires`: `\(expires)` has passed") }
            return remaining
        }
        return nil
    }

    private func create(_ request: Request, _ context: Context) async throws -> Response {
        let principal = try principal(context)
        var request = request
        let (text, json) = try await body(&request, types: Self.tdTypes)
        guard json["id"] == nil else {
            throw APIError(.badRequest, code: "things.id", "this Thing Description has an `id`: store it with PUT /things/{id}; POST is for anonymous ones")
        }
        let thingID = "urn:uuid:" + UUID().uuidString.lowercased()
        let (document, withID) = Self.adding(id: thingID, to: text, json)
        let (registration, _) = try await store(thingID, json: withID, text: document, request: request, principal: principal)
        var headers = HTTPFields()
        headers[.location] = path(of: thingID)
        headers[.registryIndex] = String(registration.index)
        return Response(status: .created, headers: headers)
    }

    /// The TD with `id` added: written first in the object, so that the rest of the text
    /// stays as it was sent.
    static func adding(id: String, to text: String, _ json: JSONValue) -> (String, JSONValue) {
        guard case .object(var members) = json, let brace = text.firstIndex(of: "{") else { return (text, json) }
        members["id"] = .string(id)
        var writer = JSONTextWriter()
        writer.string(id)
        let rest = text[text.index(after: brace)...]
        let empty = rest.drop { " \t\r\n".contains($0) }.first == "}"
        let document = text[...brace] + "\"id\":" + writer.text + (empty ? "" : ",") + rest
        return (String(document), .object(members))
    }

    private func put(_ request: Request, _ context: Context) async throws -> Response {
        let principal = try principal(context)
        let thingID = try thingID(context)
        var request = request
        var (text, json) = try await body(&request, types: Self.tdTypes)
        switch json["id"] {
        case nil:
            (text, json) = Self.adding(id: thingID, to: text, json)
        case .string(let given)? where given == thingID:
            break
        default:
            throw APIError(.badRequest, code: "things.id", "the Thing Description's `id` differs from the id in the path `\(thingID)`")
        }
        let (registration, created) = try await store(thingID, json: json, text: text, request: request, principal: principal)
        var headers = HTTPFields()
        headers[.registryIndex] = String(registration.index)
        return Response(status: created ? .created : .noContent, headers: headers)
    }

    private func patch(_ request: Request, _ context: Context) async throws -> Response {
        let principal = try principal(context)
        let thingID = try thingID(context)
        var request = request
        let (_, patch) = try await body(&request, types: ["application/merge-patch+json"])
        let (_, document) = try stored(thingID)
        let current = try JSONValue.parse(Array(document.utf8))
        let patched = current.mergePatched(with: patch)
        guard patched["id"]?.stringValue == thingID else {
            throw APIError(.badRequest, code: "things.id", "a patch cannot change or remove the Thing's `id`")
        }
        let (registration, _) = try await store(thingID, json: patched, text: patched.jsonText, request: request, principal: principal)
        var headers = HTTPFields()
        headers[.registryIndex] = String(registration.index)
        return Response(status: .noContent, headers: headers)
    }

    private func delete(_ request: Request, _ context: Context) async throws -> Response {
        let principal = try principal(context)
        let (registration, _) = try stored(try thingID(context))
        let index = try await registry.deregister(id: registration.id,
                                                  authorize: access.nameAuthorization(principal, request: request, action: .destroy))
        var headers = HTTPFields()
        headers[.registryIndex] = String(index)
        return Response(status: .noContent, headers: headers)
    }
}
