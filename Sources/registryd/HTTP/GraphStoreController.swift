import Foundation
import Synchronization
import Hummingbird
import MultipartKit
import Ontology

/// The SPARQL 1.1 Graph Store HTTP Protocol at `/rdf-graphs`: GET a graph, PUT (replace
/// atomically), POST (add), DELETE (drop); HEAD wherever GET is served.
///
/// A graph is named indirectly (`/rdf-graphs?graph=IRI`, or `?default`) or directly by its own
/// URL under `/rdf-graphs/` (`/rdf-graphs/person/1.ttl` is the graph
/// `http://HOST/rdf-graphs/person/1.ttl`, §4.1). A POST to `/rdf-graphs` itself creates a new
/// graph under `/rdf-graphs/` and answers 201 with its IRI in `Location` (§5.5). Bodies are
/// RDF/XML, Turtle or N-Triples by `Content-Type`, or `multipart/form-data` whose parts each are
/// one of those (POST, §5.5); relative IRIs in them resolve against the graph's IRI.
struct GraphStoreController {
    typealias Context = RegistrydContext
    let store: QuadStore
    let settings: ServerSettings

    /// What a request's URL names.
    private enum Target {
        /// A graph: nil for the default graph.
        case graph(Term?)
        /// The Graph Store itself (only a POST may address it).
        case store
    }

    func addRoutes(to router: Router<Context>) {
        for path in ["rdf-graphs", "rdf-graphs/**"] {
            router.get(RouterPath(path)) { request, context in
                try context.requireQuery()
                if case .store = try target(request) { return try export(request) }
                return try await get(request, target: try graph(request))
            }
            router.put(RouterPath(path)) { request, context in
                try context.requireAdmin()
                return try await add(request, to: try graph(request), replace: true)
            }
            router.post(RouterPath(path)) { request, context in
                try context.requireAdmin()
                switch try target(request) {
                case .graph(let graph): return try await add(request, to: graph, replace: false)
                case .store: return try await create(request)
                }
            }
            router.delete(RouterPath(path)) { request, context in
                try context.requireAdmin()
                return try await delete(request, target: try graph(request))
            }
        }
    }

    private static let prefix = "/rdf-graphs"

    /// The graph or the store the URL names.
    private func target(_ request: Request) throws -> Target {
        let parameters = try FormEncoding.decode(Substring(request.uri.query ?? ""))
        let named = parameters.filter { $0.name == "graph" }
        let isDefault = parameters.contains { $0.name == "default" }
        let path = request.uri.path
        if path.count > Self.prefix.count + 1 {
            guard named.isEmpty, !isDefault else {
                throw APIError(.badRequest, code: "request.graph",
                               "this URL names its graph itself: leave out `?graph=` and `?default`")
            }
            return .graph(.iri(IRI(request.serverURL(path: path, settings: settings))))
        }
        if isDefault {
            guard named.isEmpty else { throw APIError(.badRequest, code: "request.graph", "name one graph: `?graph=IRI` or `?default`, not both") }
            return .graph(nil)
        }
        guard let graph = named.first?.value else { return .store }
        guard named.count == 1 else { throw APIError(.badRequest, code: "request.graph", "give one `graph` parameter") }
        guard IRI.isAbsolute(graph) else {
            throw APIError(.badRequest, code: "request.graph", "the graph name `\(graph)` is not an absolute IRI")
        }
        return .graph(.iri(IRI(graph)))
    }

    /// The graph the URL names; naming the store is only for a POST.
    private func graph(_ request: Request) throws -> Term? {
        guard case .graph(let graph) = try target(request) else {
            throw APIError(.badRequest, code: "request.graph", "name the graph with `?graph=IRI` or `?default`, or by its URL under \(Self.prefix)/")
        }
        return graph
    }

    private func scope(_ graph: Term?) -> GraphScope { graph.map { .named($0) } ?? .defaultGraph }

    private func get(_ request: Request, target graph: Term?) async throws -> Response {
        let (mediaType, syntax) = try ContentNegotiation.negotiate(request.headers[.accept], from: ContentNegotiation.graphs)
        let scope = self.scope(graph)
        let triples: [Triple]? = try await store.read { snapshot in
            if let graph, try !snapshot.containsGraph(graph) { return nil }
            return try snapshot.quads(in: scope).map(\.triple)
        }
        guard let triples else { throw APIError(.notFound, code: "graph.not_found", "there is no graph \(graph.map(\.description) ?? "")") }
        return try ContentNegotiation.response(.graph(triples), mediaType: mediaType, syntax: syntax, prefixes: [])
    }

    /// `GET /rdf-graphs` with no graph named: the whole dataset as N-Quads, streamed from one
    /// snapshot (``QuadStore/Snapshot/exportNQuads(chunkBytes:emit:)``), so no result limit
    /// refuses it and the daemon holds a few chunks at a time, not the dataset.
    private func export(_ request: Request) throws -> Response {
        _ = try ContentNegotiation.negotiate(request.headers[.accept], from: [("application/n-quads", .graph(.nTriples))])
        let store = self.store
        var headers = HTTPFields()
        headers[.contentType] = "application/n-quads"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let pipe = ExportPipe()
            let (chunks, continuation) = AsyncStream<[UInt8]>.makeStream()
            // The snapshot is read on a thread of its own: the store's reads are synchronous,
            // and a slow client must hold that thread, not one of the concurrency pool's.
            Thread.detachNewThread {
                _ = try? store.read { snapshot in
                    try snapshot.exportNQuads { chunk in
                        pipe.slots.wait()
                        if pipe.cancelled.load(ordering: .relaxed) { throw CancellationError() }
                        continuation.yield(chunk)
                    }
                }
                continuation.finish()
            }
            defer {
                pipe.cancelled.store(true, ordering: .relaxed)
                for _ in 0..<ExportPipe.depth { pipe.slots.signal() }
            }
            for await chunk in chunks {
                try await writer.write(ByteBuffer(bytes: chunk))
                pipe.slots.signal()
            }
            try await writer.finish(nil)
        })
    }

    /// PUT (replace) or POST (add to) a graph; 201 when the graph is new (the default graph:
    /// when it was empty), else 204.
    private func add(_ request: Request, to graph: Term?, replace: Bool) async throws -> Response {
        var request = request
        let base = graph?.iri?.value ?? request.serverURL(path: Self.prefix, settings: settings)
        let parsed = try await triples(of: &request, base: base, multipartAllowed: !replace)
        let existed = try await store.write { transaction in
            let existed = try graph.map { try transaction.containsGraph($0) }
                ?? (transaction.count(matching: EncodedQuadPattern(graph: .defaultGraph)) > 0)
            if replace {
                _ = try transaction.replace(graph: graph, with: parsed)
            } else {
                _ = try transaction.insert(parsed.map { Quad($0, graph: graph) })
            }
            return existed
        }
        return Response(status: existed ? .noContent : .created)
    }

    /// A POST to the store: a new graph under `/rdf-graphs/`, 201 with its IRI in `Location`.
    private func create(_ request: Request) async throws -> Response {
        var request = request
        let name = request.serverURL(path: Self.prefix + "/" + Self.newGraphName(), settings: settings)
        let parsed = try await triples(of: &request, base: name, multipartAllowed: true)
        let graph = Term.iri(IRI(name))
        try await store.write { transaction in
            _ = try transaction.replace(graph: graph, with: parsed)
        }
        var headers = HTTPFields()
        headers[.location] = name
        return Response(status: .created, headers: headers)
    }

    /// A random UUID's 32 hex digits, so a new graph's name says nothing and collides with nothing.
    private static func newGraphName() -> String {
        UUID().uuidString.lowercased().replacing("-", with: "")
    }

    /// The body's triples, parsed fully before the store is touched, so a bad body changes nothing.
    private func triples(of request: inout Request, base: String, multipartAllowed: Bool) async throws -> [Triple] {
        let type = try MediaType.body(request.headers[.contentType])
        let body = try await request.collectBody(limit: settings.bodies.upload)
        if let type, type.type == .multipart, type.subType == "form-data", multipartAllowed {
            return try Self.multipartTriples(body, type: type, base: base)
        }
        guard let format = ContentNegotiation.rdfFormat(type.map { "\($0.type)/\($0.subType)" }) else {
            throw APIError(.unsupportedMediaType, code: "request.media_type",
                           "send text/turtle, application/n-triples or application/rdf+xml"
                               + (multipartAllowed ? ", or multipart/form-data with parts of those" : ""))
        }
        return try Self.parse(body, format: format, base: base)
    }

    private static func parse(_ body: ByteBuffer, format: RDFFormat, base: String) throws -> [Triple] {
        var triples: [Triple] = []
        try body.withUnsafeReadableBytes { raw in
            try RDFParser.parse(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count),
                                format: format, baseIRI: base) { triples.append($0) }
        }
        return triples
    }

    /// The triples of every part of a `multipart/form-data` body (RFC 7578), each part parsed
    /// by its own `Content-Type`; blank node labels are scoped to their part, as they would be
    /// in separate POSTs.
    private static func multipartTriples(_ body: ByteBuffer, type: MediaType, base: String) throws -> [Triple] {
        guard let parameter = type.parameter, parameter.name.lowercased() == "boundary",
              case let boundary = parameter.value.trimmingCharacters("\""), !boundary.isEmpty, boundary.utf8.count <= 70 else {
            throw APIError(.badRequest, code: "request.multipart", "multipart/form-data needs a `boundary` parameter of 1 to 70 characters")
        }
        var parts: [(contentType: String?, body: ByteBuffer)] = []
        var contentType: String?
        var partBody = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in
            if name.lowercased() == "content-type" { contentType = value }
        }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append((contentType, partBody))
            contentType = nil
            partBody = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            throw APIError(.badRequest, code: "request.multipart", "the body is not multipart/form-data with boundary `\(boundary)`")
        }
        guard !parts.isEmpty else { throw APIError(.badRequest, code: "request.multipart", "the multipart body has no parts") }
        var triples: [Triple] = []
        for (index, part) in parts.enumerated() {
            guard let format = ContentNegotiation.rdfFormat(try MediaType.bodyType(part.contentType)) else {
                throw APIError(.unsupportedMediaType, code: "request.media_type",
                               "part \(index + 1): send text/turtle, application/n-triples or application/rdf+xml, not `\(part.contentType ?? "")`")
            }
            let partTriples = try parse(part.body, format: format, base: base)
            // Parsers label blank nodes per document; two parts may use the same labels.
            triples += partTriples.map { $0.scopingBlankNodes(to: index) }
        }
        return triples
    }

    private func delete(_ request: Request, target graph: Term?) async throws -> Response {
        let scope = self.scope(graph)
        let dropped = try await store.write { transaction in try transaction.drop(graph: scope) }
        guard dropped || graph == nil else {
            throw APIError(.notFound, code: "graph.not_found", "there is no graph \(graph.map(\.description) ?? "")")
        }
        return Response(status: .noContent)
    }
}

private extension Triple {
    /// The triple with its blank nodes relabelled for part `index` of a multipart body.
    func scopingBlankNodes(to index: Int) -> Triple {
        func scoped(_ term: Term) -> Term {
            guard case .blankNode(let node) = term else { return term }
            return .blankNode(BlankNode("p\(index)x\(node.id)"))
        }
        return Triple(scoped(subject), predicate, scoped(object))
    }
}

/// The hand-over between the thread that reads an export and the response that writes it: at
/// most ``depth`` chunks in flight, and a flag that stops the reader when the client is gone.
private final class ExportPipe: Sendable {
    static let depth = 8
    let slots = DispatchSemaphore(value: ExportPipe.depth)
    let cancelled = Atomic<Bool>(false)
}
