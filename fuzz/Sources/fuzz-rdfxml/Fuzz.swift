import FuzzSupport
import Ontology

/// RDF/XML: the in-memory parser the registry uses for uploads, every triple rendered.
@main
enum Target {
    static func main() {
        Fuzzer.run { bytes in
            Fuzzer.expectingOnly(OntologyError.self, from: "RDF/XML parser") {
                try RDFParser.parse(bytes, format: .rdfXML, baseIRI: "http://example.org/base/") { triple in
                    _ = triple.description
                }
            }
        }
    }
}
