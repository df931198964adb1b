import FuzzSupport
import Ontology

/// SPARQL query: lexer, grammar and translation to the algebra (`SPARQLParser.parseQuery`).
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            Fuzzer.expectingOnly(OntologyError.self, from: "SPARQL query parser") {
                _ = try SPARQLParser(baseIRI: "http://example.org/base/").parseQuery(text)
            }
        }
    }
}
