import Hummingbird
import Ontology

/// The SPARQL 1.1 Graph Store HTTP Protocol at `/rdf-graphs?graph=IRI` (or `?default`):
/// GET a graph, PUT (replace atomically), POST (add), DELETE (drop). Bodies are RDF/XML, Turtle
/// or N-Triples, by `Content-Type`.
struct GraphStoreController {
    typealias Context = RegistrydContext
    let store: QuadStore
    let settings: ServerSettings

    func addRoutes(to router: Router<Context>) {
        router.get("rdf-graphs") { request, context in
            try context.requireQuery()
            return try await get(request)
        }
        router.put("rdf-graphs") { request, context in
            try context.requireAdmin()
            return try await put(request, replace: true)
        }
        router.post("rdf-graphs") { request, context in
            try context.requireAdmin()
            return try await put(request, replace: false)
        }
        router.delete("rdf-graphs") { request, context in
            try context.requireAdmin()
            return try await delete(request)
        }
    }

    /// The graph the URL names: nil for the default graph.
    private func target(_ request: Request) throws -> Term? {
        let parameters = try FormEncoding.decode(Substring(request.uri.query ?? ""))
        let named = parameters.contains(where: { $0.name == "graph" })
        if parameters.contains(where: { $0.name == "default" }) {
            guard !named else { throw APIError(.badRequest, code: "request.graph", "name one graph: `?graph=IRI` or `?default`, not both") }
            return nil
        }
        guard let graph = parameters.first(where: { $0.name == "graph" })?.value else {
            throw APIError(.badRequest, code: "request.graph", "name the graph with `?graph=IRI`, or `?default`")
        }
        guard IRI.isAbsolute(graph) else {
            throw APIError(.badRequest, code: "request.graph", "the graph name `\(graph)` is not an absolute IRI")
        }
        return .iri(IRI(graph))
    }

    private func scope(_ graph: Term?) -> GraphScope { graph.map { .named($0) } ?? .defaultGraph }

    private func get(_ request: Request) async throws -> Response {
        let graph = try target(request)
        guard let (mediaType, syntax) = ContentNegotiation.choose(request.headers[.accept], from: ContentNegotiation.graphs) else {
            throw APIError(.notAcceptable, code: "request.not_acceptable", "graphs are available as text/turtle, application/n-triples, application/rdf+xml")
        }
        let scope = self.scope(graph)
        let triples: [Triple]? = try await store.read { snapshot in
            if let graph, try !snapshot.containsGraph(graph) { return nil }
            return try snapshot.quads(in: scope).map(\.triple)
        }
        guard let triples else { throw APIError(.notFound, code: "graph.not_found", "there is no graph \(graph.map(\.description) ?? "")") }
        let output = ByteOutput()
        try ResultRenderer.write(.graph(triples), as: syntax, prefixes: [], to: output)
        var headers = HTTPFields()
        headers[.contentType] = mediaType + (mediaType.hasPrefix("text/") ? "; charset=utf-8" : "")
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: output.buffer)))
    }

    private func put(_ request: Request, replace: Bool) async throws -> Response {
        var request = request
        let graph = try target(request)
        guard let format = ContentNegotiation.rdfFormat(try request.bodyMediaType()) else {
            throw APIError(.unsupportedMediaType, code: "request.media_type",
                           "send text/turtle, application/n-triples or application/rdf+xml")
        }
        let body = try await request.collectBody(limit: settings.bodies.upload)
        var triples: [Triple] = []
        // Parse fully before touching the store, so a bad body changes nothing.
        try body.withUnsafeReadableBytes { raw in
            try RDFParser.parse(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count),
                                format: format, baseIRI: graph?.iri?.value ?? "http://localhost/rdf-graphs") { triples.append($0) }
        }
        let parsed = triples
        let existed = try await store.write { transaction in
            let existed = try graph.map { try transaction.containsGraph($0) } ?? true
            if replace {
                _ = try transaction.replace(graph: graph, with: parsed)
            } else {
                _ = try transaction.insert(parsed.map { Quad($0, graph: graph) })
            }
            return existed
        }
        return Response(status: existed ? .noContent : .created)
    }

    private func delete(_ request: Request) async throws -> Response {
        let graph = try target(request)
        let scope = self.scope(graph)
        let dropped = try await store.write { transaction in try transaction.drop(graph: scope) }
        guard dropped || graph == nil else {
            throw APIError(.notFound, code: "graph.not_found", "there is no graph \(graph.map(\.description) ?? "")")
        }
        return Response(status: .noContent)
    }
}
