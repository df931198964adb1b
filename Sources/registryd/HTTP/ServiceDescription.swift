import Ontology

/// The SPARQL 1.1 Service Description of an endpoint, answered to a GET of `/sparql` or
/// `/update` without a request in it (Service Description §2): what the endpoint runs, the
/// result and input formats it offers (from ``ContentNegotiation``'s tables, so the description
/// cannot list a format the endpoint does not serve), its entailment regime and features.
struct ServiceDescription {
    /// Which of the two endpoints is described.
    enum Endpoint {
        case query, update
    }

    static let sd = "http://www.w3.org/ns/sparql-service-description#"
    static let formats = "http://www.w3.org/ns/formats/"

    let endpoint: Endpoint
    /// The endpoint's absolute URL, as the client addressed it.
    let url: String

    var triples: [Triple] {
        let service = Term.blankNode(BlankNode("service"))
        let dataset = Term.blankNode(BlankNode("dataset"))
        let defaultGraph = Term.blankNode(BlankNode("defaultGraph"))
        func sd(_ name: String) -> IRI { IRI(Self.sd + name) }
        var triples = [
            Triple(service, RDF.type, .iri(sd("Service"))),
            Triple(service, sd("endpoint"), .iri(url)),
            Triple(service, sd("supportedLanguage"), .iri(sd(endpoint == .query ? "SPARQL11Query" : "SPARQL11Update"))),
            // Reasoning is on unless a query says `reasoning=false`.
            Triple(service, sd("defaultEntailmentRegime"), .iri("http://www.w3.org/ns/entailment/RDFS")),
            // The default graph is the union of every graph the store holds.
            Triple(service, sd("feature"), .iri(sd("UnionDefaultGraph"))),
            Triple(service, sd("defaultDataset"), dataset),
            Triple(dataset, RDF.type, .iri(sd("Dataset"))),
            Triple(dataset, sd("defaultGraph"), defaultGraph),
            Triple(defaultGraph, RDF.type, .iri(sd("Graph"))),
        ]
        let offered = endpoint == .query ? ContentNegotiation.solutions + ContentNegotiation.graphs : []
        var seen = Set<String>()
        for (_, syntax) in offered {
            guard let format = Self.formatIRI(syntax), seen.insert(format).inserted else { continue }
            triples.append(Triple(service, sd("resultFormat"), .iri(format)))
        }
        // What `LOAD` reads (an update) and the Graph Store takes.
        if endpoint == .update {
            for format in [RDFFormat.turtle, .nTriples, .rdfXML] {
                triples.append(Triple(service, sd("inputFormat"), .iri(Self.formatIRI(.graph(format))!)))
            }
        }
        return triples
    }

    /// The W3C format IRI (`http://www.w3.org/ns/formats/`) of a syntax.
    static func formatIRI(_ syntax: ResultRenderer.Syntax) -> String? {
        switch syntax {
        case .results(.json): formats + "SPARQL_Results_JSON"
        case .results(.xml): formats + "SPARQL_Results_XML"
        case .results(.csv): formats + "SPARQL_Results_CSV"
        case .results(.tsv): formats + "SPARQL_Results_TSV"
        case .graph(.turtle): formats + "Turtle"
        case .graph(.nTriples): formats + "N-Triples"
        case .graph(.rdfXML): formats + "RDF_XML"
        case .jsonLD: formats + "JSON-LD"
        case .table: nil
        }
    }
}
