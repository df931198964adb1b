import FuzzSupport
import Ontology

/// Turtle: the in-memory parser the registry uses for uploads, every triple rendered.
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            Fuzzer.expectingOnly(OntologyError.self, from: "Turtle parser") {
                try RDFParser.parse(bytes, format: .turtle, baseIRI: "http://example.org/base/") { triple in
                    _ = triple.description
                }
            }
        }
    }
}
