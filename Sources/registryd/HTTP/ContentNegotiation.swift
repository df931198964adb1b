import Hummingbird
import Ontology

/// Picks a response syntax from an `Accept` header (RFC 9110 §12.5.1, quality values honoured;
/// ties go to the server's order).
enum ContentNegotiation {
    /// The syntaxes offered for SELECT and ASK results, the first being the default.
    static let solutions: [(String, ResultRenderer.Syntax)] = [
        ("application/sparql-results+json", .results(.json)),
        ("application/sparql-results+xml", .results(.xml)),
        ("text/csv", .results(.csv)),
        ("text/tab-separated-values", .results(.tsv)),
        ("application/json", .results(.json)),
        ("application/xml", .results(.xml)),
    ]

    /// The syntaxes offered for graphs (CONSTRUCT, DESCRIBE, the Graph Store), the first being the default.
    static let graphs: [(String, ResultRenderer.Syntax)] = [
        ("text/turtle", .graph(.turtle)),
        ("application/n-triples", .graph(.nTriples)),
        ("application/rdf+xml", .graph(.rdfXML)),
        ("application/ld+json", .jsonLD),
        ("text/plain", .graph(.nTriples)),
        ("application/x-turtle", .graph(.turtle)),
    ]

    /// The best offer for the header, or nil when the client accepts none (406).
    static func choose(_ accept: String?, from offers: [(String, ResultRenderer.Syntax)]) -> (String, ResultRenderer.Syntax)? {
        guard let accept, !accept.trimmingCharacters(" ").isEmpty else { return offers.first }
        var best: (quality: Double, index: Int)?
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(" ").lowercased() }
            guard let type = parts.first else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0 else { continue }
            for (index, offer) in offers.enumerated() where matches(type, offer.0) {
                if let current = best, quality < current.quality || (quality == current.quality && index >= current.index) {
                    continue
                }
                best = (quality, index)
            }
        }
        return best.map { offers[$0.index] }
    }

    /// The best offer for the header (``choose(_:from:)``).
    /// - Throws: 406 `request.not_acceptable`, listing the offers, when the client accepts none.
    static func negotiate(_ accept: String?, from offers: [(String, ResultRenderer.Syntax)]) throws -> (String, ResultRenderer.Syntax) {
        guard let chosen = choose(accept, from: offers) else {
            throw APIError(.notAcceptable, code: "request.not_acceptable",
                           "this resource is available as " + offers.map(\.0).joined(separator: ", "))
        }
        return chosen
    }

    /// A 200 with `result` written in `syntax`, labelled `mediaType`.
    static func response(_ result: QueryResult, mediaType: String, syntax: ResultRenderer.Syntax,
                         prefixes: [(prefix: String, iri: String)]) throws -> Response {
        let output = ByteOutput()
        try ResultRenderer.write(result, as: syntax, prefixes: prefixes, to: output)
        var headers = HTTPFields()
        headers[.contentType] = mediaType + (mediaType.hasPrefix("text/") ? "; charset=utf-8" : "")
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: output.buffer)))
    }

    /// A 200 with `triples` in the RDF syntax the `Accept` header prefers.
    static func graphResponse(_ triples: [Triple], accept: String?, prefixes: [(prefix: String, iri: String)] = []) throws -> Response {
        let (mediaType, syntax) = try negotiate(accept, from: graphs)
        return try response(.graph(triples), mediaType: mediaType, syntax: syntax, prefixes: prefixes)
    }

    private static func matches(_ range: String, _ type: String) -> Bool {
        if range == "*/*" || range == type { return true }
        if range.hasSuffix("/*") { return type.hasPrefix(range.dropLast()) }
        return false
    }

    /// The RDF format a body of media type `type` (``Request/bodyMediaType()``) is in: the one
    /// table for graphs and RDF registrations.
    static func rdfFormat(_ type: String?) -> RDFFormat? {
        type.flatMap(RDFFormat.init(mediaType:))
    }

}

extension StringProtocol {
    func trimmingCharacters(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
