import FuzzSupport
import Ontology

/// N-Triples: the in-memory parser the registry uses for uploads, every triple rendered.
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            Fuzzer.expectingOnly(OntologyError.self, from: "N-Triples parser") {
                try RDFParser.parse(bytes, format: .nTriples, baseIRI: "http://example.org/base/") { triple in
                    _ = triple.description
                }
            }
        }
    }
}
