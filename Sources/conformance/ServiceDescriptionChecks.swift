import Ontology

/// The SPARQL 1.1 Service Description tests, whose manifest gives only their names; each is
/// implemented from its name and Service Description §2-3, and run against both endpoints
/// (`/sparql` and `/update`), dereferenced with GET and no request:
/// - `returns-rdf`: the answer is RDF, in Turtle and in RDF/XML as the client asks;
/// - `has-endpoint-triple`: some resource has `sd:endpoint` equal to the URL dereferenced;
/// - `conforms-to-schema`: that resource is an `sd:Service` with a supported language of the
///   vocabulary, and every `sd:` property that takes a resource (`resultFormat`, `inputFormat`,
///   `feature`, `defaultEntailmentRegime`, `supportedEntailmentProfile`, `supportedLanguage`)
///   has IRIs as values; a `sd:defaultDataset` is an `sd:Dataset`.
struct ServiceDescriptionChecks {
    static let sd = "http://www.w3.org/ns/sparql-service-description#"
    let names: [String]

    private static let endpoints = ["/sparql", "/update"]
    private static let authority = "www.example"

    /// Each test's name and its failure (nil: passed).
    func run(on runner: ProtocolSuiteRunner, endpoint: ProtocolSuiteRunner.Endpoint) async -> [(String, String?)] {
        var results: [(String, String?)] = []
        for name in names {
            var failure: String?
            for path in Self.endpoints where failure == nil {
                do {
                    failure = try await check(name, path: path, runner: runner, endpoint: endpoint).map { "\(path): \($0)" }
                } catch {
                    failure = "\(path): \(error)"
                }
            }
            results.append((name, failure))
        }
        return results
    }

    private func description(_ path: String, accept: String, runner: ProtocolSuiteRunner,
                             endpoint: ProtocolSuiteRunner.Endpoint) async throws -> ([Triple]?, String) {
        let reply = try await runner.send("GET", path, headers: [("Accept", accept), ("Host", Self.authority)], body: nil, on: endpoint)
        guard reply.status == 200 else { return (nil, "GET answered \(reply.status): \(reply.text.prefix(200))") }
        guard let format = RDFFormat(mediaType: reply.mediaType) else { return (nil, "GET answered `\(reply.mediaType)`, not RDF") }
        var triples: [Triple] = []
        do {
            try RDFParser.parse(reply.text, format: format, baseIRI: "http://\(Self.authority)\(path)") { triples.append($0) }
        } catch {
            return (nil, "the \(format.name) does not parse: \(error)")
        }
        return (triples, "")
    }

    private func check(_ name: String, path: String, runner: ProtocolSuiteRunner, endpoint: ProtocolSuiteRunner.Endpoint) async throws -> String? {
        let url = "http://\(Self.authority)\(path)"
        switch name {
        case "returns-rdf":
            for accept in ["text/turtle", "application/rdf+xml"] {
                let (triples, problem) = try await description(path, accept: accept, runner: runner, endpoint: endpoint)
                guard let triples else { return "Accept: \(accept): \(problem)" }
                if triples.isEmpty { return "Accept: \(accept): an empty description" }
            }
            return nil
        case "has-endpoint-triple":
            let (triples, problem) = try await description(path, accept: "text/turtle", runner: runner, endpoint: endpoint)
            guard let triples else { return problem }
            let found = triples.contains { $0.predicate == IRI(Self.sd + "endpoint") && $0.object == .iri(IRI(url)) }
            return found ? nil : "no `sd:endpoint <\(url)>`"
        case "conforms-to-schema":
            let (triples, problem) = try await description(path, accept: "text/turtle", runner: runner, endpoint: endpoint)
            guard let triples else { return problem }
            return conformance(of: triples, url: url)
        default:
            return "no check is written for this test"
        }
    }

    private func conformance(of triples: [Triple], url: String) -> String? {
        func sd(_ name: String) -> IRI { IRI(Self.sd + name) }
        guard let service = triples.first(where: { $0.predicate == sd("endpoint") && $0.object == .iri(IRI(url)) })?.subject else {
            return "no service has this endpoint"
        }
        let about = triples.filter { $0.subject == service }
        guard about.contains(where: { $0.predicate == RDF.type && $0.object == .iri(sd("Service")) }) else {
            return "the resource with sd:endpoint is not an sd:Service"
        }
        let languages = about.filter { $0.predicate == sd("supportedLanguage") }.map(\.object)
        let known: Set<Term> = [.iri(sd("SPARQL10Query")), .iri(sd("SPARQL11Query")), .iri(sd("SPARQL11Update"))]
        guard !languages.isEmpty, languages.allSatisfy(known.contains) else {
            return "sd:supportedLanguage must be one or more of sd:SPARQL10Query, sd:SPARQL11Query, sd:SPARQL11Update"
        }
        for property in ["resultFormat", "inputFormat", "feature", "defaultEntailmentRegime", "supportedEntailmentProfile"] {
            if let bad = about.first(where: { $0.predicate == sd(property) && $0.object.iri == nil }) {
                return "sd:\(property) \(bad.object) is not an IRI"
            }
        }
        for dataset in about.filter({ $0.predicate == sd("defaultDataset") }).map(\.object) {
            guard triples.contains(where: { $0.subject == dataset && $0.predicate == RDF.type && $0.object == .iri(sd("Dataset")) }) else {
                return "sd:defaultDataset \(dataset) is not an sd:Dataset"
            }
        }
        return nil
    }
}
