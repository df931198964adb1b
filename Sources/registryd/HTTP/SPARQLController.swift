import Hummingbird
import Ontology

/// The SPARQL 1.1 Protocol: queries at `/sparql` (GET `?query=`, POST `application/sparql-query`
/// or a form), updates at `/update` (POST `application/sparql-update` or a form). A GET of either
/// without a request answers its service description (``ServiceDescription``). Relative IRIs
/// resolve against the endpoint's URL unless the request declares a `BASE`.
///
/// Queries read one snapshot of the store; updates run in one write transaction, so a failing
/// request changes nothing. Both run off the event loop, on the store's own threads.
struct SPARQLController {
    typealias Context = RegistrydContext
    let store: QuadStore
    let settings: ServerSettings
    /// Fetches `LOAD <http(s):...>` sources from the hosts `--pull-allow` names.
    var fetcher: ManifestFetcher
    /// The RDFS schema of the last query, reused while the schema statements are unchanged.

    func addRoutes(to router: Router<Context>) {
        router.get("sparql") { request, context in try await query(request, context) }
        router.post("sparql") { request, context in try await query(request, context) }
        router.post("update") { request, context in try await update(request, context) }
        router.get("update") { request, context in
            try context.requireQuery()
            let parameters = try FormEncoding.decode(Substring(request.uri.query ?? ""))
            guard !parameters.contains(where: { $0.name == "update" }) else {
                throw APIError(.badRequest, code: "request.update_method", "send an update with POST, not GET (SPARQL 1.1 Protocol §2.2)")
            }
            return try describe(.update, request)
        }
    }

    /// What `LOAD` may read: `http(s)` sources from the hosts of `--pull-allow`, fetched here
    /// before the update's transaction starts; `file:` sources under `--load-allow-dir`;
    /// nothing else (docs/trust.md).
    private func loadSources(for update: Ontology.Update) async throws -> @Sendable (IRI) throws -> [Triple] {
        var fetched: [String: [Triple]] = [:]
        for case .load(let source, _, let silent) in update.operations {
            let scheme = source.value.prefix { $0 != ":" }.lowercased()
            guard scheme == "http" || scheme == "https", fetched[source.value] == nil else { continue }
            do {
                let (bytes, contentType) = try await fetcher.fetch(source.value)
                let format = ContentNegotiation.rdfFormat(contentType) ?? RDFFormat(fileName: source.value) ?? .turtle
                fetched[source.value] = try LoadSources.parse(bytes, format: format, source: source.value)
            } catch where silent {
                continue
            } catch let error as APIError where error.status == .forbidden {
                throw APIError(.forbidden, code: OntologyError.Code.sparqlLoadForbidden.rawValue, "LOAD <\(source.value)>: \(error.message)")
            }
        }
        let files: @Sendable (IRI) throws -> [Triple]
        if let directory = settings.loadAllowedDirectory {
            files = LoadSources.files(under: directory)
        } else {
            files = { source in
                throw OntologyError(.sparqlLoadForbidden, "LOAD <\(source.value)>: this server loads no files (an admin can allow a directory with serve --load-allow-dir) and http(s) only from the hosts of --pull-allow")
            }
        }
        let prefetched = fetched
        return { source in try prefetched[source.value] ?? files(source) }
    }

    /// The protocol's parameters, from the URL and (for POST) the body.
    private func parameters(_ request: inout Request, _ context: Context, bodyParameter: String,
                            bodyType: String) async throws -> [(name: String, value: String)] {
        var parameters = try FormEncoding.decode(Substring(request.uri.query ?? ""))
        guard request.method == .post else { return parameters }
        var body = try await request.collectBody(limit: settings.bodies.upload)
        // A lossy decoding would run a query other than the one sent.
        guard let text = String(validating: body.readBytes(length: body.readableBytes) ?? [], as: UTF8.self) else {
            throw APIError(.badRequest, code: "request.invalid_utf8", "the request body is not valid UTF-8")
        }
        let type = try request.bodyMediaType() ?? ""
        switch type {
        case bodyType:
            parameters.append((bodyParameter, text))
        case "application/x-www-form-urlencoded":
            parameters += try FormEncoding.decode(Substring(text))
        default:
            throw APIError(.unsupportedMediaType, code: "request.media_type",
                           "send the request as \(bodyType) or application/x-www-form-urlencoded, not `\(type)`")
        }
        return parameters
    }

    private func query(_ request: Request, _ context: Context) async throws -> Response {
        try context.requireQuery()
        var request = request
        let parameters = try await parameters(&request, context, bodyParameter: "query", bodyType: "application/sparql-query")
        let texts = parameters.filter { $0.name == "query" }.map(\.value)
        if texts.isEmpty, request.method == .get { return try describe(.query, request) }
        guard texts.count == 1, let text = texts.first else {
            throw APIError(.badRequest, code: "request.query", "give exactly one `query` parameter")
        }
        var parsed = try SPARQLParser(baseIRI: request.serverURL(path: "/sparql", settings: settings)).parseQuery(text)
        // default-graph-uri and named-graph-uri override the query's FROM clauses (§2.1.4).
        let defaults = try Self.graphIRIs(parameters, named: "default-graph-uri")
        let named = try Self.graphIRIs(parameters, named: "named-graph-uri")
        if !defaults.isEmpty || !named.isEmpty {
            parsed.dataset = QueryDataset(defaultGraphs: defaults, namedGraphs: named)
        }
        let offers: [(String, ResultRenderer.Syntax)]
        switch parsed.form {
        case .select, .ask: offers = ContentNegotiation.solutions
        case .construct, .describe: offers = ContentNegotiation.graphs
        }
        let (mediaType, syntax) = try ContentNegotiation.negotiate(request.headers[.accept], from: offers)
        // RDFS reasoning is on unless the request says `reasoning=false`.
        let reasoning = parameters.last { $0.name == "reasoning" }?.value.lowercased() != "false"
        let limits = EvaluationLimits(timeout: settings.queryTimeout, maxResults: settings.maxResults)
        let query = parsed
        let schemas = store.schemas
        let result = try await store.read { snapshot in
            let dataset = StoreDataset(snapshot)
            let schema = reasoning ? dataset.rdfsSchema(cache: schemas) : nil
            return try QueryEvaluator(dataset: dataset, reasoning: reasoning, schema: schema, limits: limits).evaluate(query)
        }
        let prefixes = query.prefixes.sorted { $0.key < $1.key }.map { (prefix: $0.key, iri: $0.value) }
        return try ContentNegotiation.response(result, mediaType: mediaType, syntax: syntax, prefixes: prefixes)
    }

    private func update(_ request: Request, _ context: Context) async throws -> Response {
        try context.requireAdmin()
        var request = request
        let parameters = try await parameters(&request, context, bodyParameter: "update", bodyType: "application/sparql-update")
        let texts = parameters.filter { $0.name == "update" }.map(\.value)
        guard texts.count == 1, let text = texts.first else {
            throw APIError(.badRequest, code: "request.update", "give exactly one `update` parameter")
        }
        var parsed = try SPARQLParser(baseIRI: request.serverURL(path: "/update", settings: settings)).parseUpdate(text)
        try Self.applyUsingParameters(parameters, to: &parsed)
        let update = parsed
        let limits = EvaluationLimits(timeout: settings.queryTimeout)
        let loadSource = try await loadSources(for: update)
        try await store.write { transaction in
            var dataset = StoreUpdateDataset(transaction)
            try UpdateExecutor(limits: limits, loadSource: loadSource).execute(update, on: &dataset)
        }
        return Response(status: .noContent)
    }

    /// The service description of an endpoint, in the RDF syntax the client accepts.
    private func describe(_ endpoint: ServiceDescription.Endpoint, _ request: Request) throws -> Response {
        let url = request.serverURL(path: endpoint == .query ? "/sparql" : "/update", settings: settings)
        let description = ServiceDescription(endpoint: endpoint, url: url)
        return try ContentNegotiation.graphResponse(description.triples, accept: request.headers[.accept],
                                                    prefixes: [("sd", ServiceDescription.sd), ("formats", ServiceDescription.formats)])
    }

    /// The values of the protocol parameter `name`, each an absolute IRI (400 `request.graph` otherwise).
    private static func graphIRIs(_ parameters: [(name: String, value: String)], named name: String) throws -> [IRI] {
        try parameters.filter { $0.name == name }.map { parameter in
            guard IRI.isAbsolute(parameter.value) else {
                throw APIError(.badRequest, code: "request.graph", "`\(name)`: `\(parameter.value)` is not an absolute IRI")
            }
            return IRI(parameter.value)
        }
    }


    /// `using-graph-uri` and `using-named-graph-uri` (SPARQL 1.1 Protocol §2.2.3) give the
    /// dataset of every `DELETE`/`INSERT ... WHERE` operation. An operation that names its own
    /// (`USING`, `USING NAMED` or `WITH`) conflicts with them: 400 `request.dataset_conflict`.
    private static func applyUsingParameters(_ parameters: [(name: String, value: String)], to update: inout Ontology.Update) throws {
        let defaults = try graphIRIs(parameters, named: "using-graph-uri")
        let named = try graphIRIs(parameters, named: "using-named-graph-uri")
        guard !defaults.isEmpty || !named.isEmpty else { return }
        let dataset = QueryDataset(defaultGraphs: defaults, namedGraphs: named)
        update.operations = try update.operations.map { operation in
            guard case .deleteInsert(let delete, let insert, let using, let pattern) = operation else { return operation }
            guard using == nil else {
                throw APIError(.badRequest, code: "request.dataset_conflict",
                               "the update names its dataset (USING, USING NAMED or WITH) and the request gives using-graph-uri or using-named-graph-uri: give one of the two")
            }
            return .deleteInsert(delete: delete, insert: insert, using: dataset, pattern: pattern)
        }
    }
}
