import FuzzSupport
import Ontology

/// SPARQL update: lexer, grammar and translation to the algebra (`SPARQLParser.parseUpdate`).
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            Fuzzer.expectingOnly(OntologyError.self, from: "SPARQL update parser") {
                _ = try SPARQLParser(baseIRI: "http://example.org/base/").parseUpdate(text)
            }
        }
    }
}
